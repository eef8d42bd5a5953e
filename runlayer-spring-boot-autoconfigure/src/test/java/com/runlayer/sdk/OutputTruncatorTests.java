package com.runlayer.sdk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.hooks.BoundedJson;
import com.runlayer.sdk.hooks.OutputTruncator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Truncation of large tool output: a UTF-8-safe prefix plus the marker, and {@code payload.truncation} metadata
 * (exact size for text and for structured values up to twice the cap, a lower bound beyond, where serialization
 * stops).
 */
class OutputTruncatorTests {

	private static final int CAP = 1000;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void largeTextOutputIsTruncatedWithTheMarkerAndMetadata() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		String large = "x".repeat(100_000);
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			// the caller still gets the full output: only what is sent to Runlayer is capped
			assertThat(client.runTool(bash("cat big.log"), (input) -> large)).isEqualTo(large);
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		String sent = payload.get("tool_response").stringValue();
		assertThat(sent).endsWith("…[truncated by Runlayer SDK: 100000 bytes total]");
		assertThat(sent).startsWith("xxxx");
		// measured as sent: the JSON text prefix travels as a string, its quotes escaped
		int sentBytes = JsonMapper.builder().build().writeValueAsString(sent).getBytes(StandardCharsets.UTF_8).length
				- 2;
		assertThat(sentBytes).isLessThanOrEqualTo(CAP).isGreaterThan(CAP - 10);
		JsonNode truncation = payload.get("truncation").get("tool_response");
		assertThat(truncation.get("original_bytes").longValue()).isEqualTo(100_000);
		assertThat(truncation.get("sent_bytes").longValue()).isEqualTo(sentBytes);
		assertThat(truncation.has("original_bytes_exact")).as("text is measured exactly").isFalse();
	}

	@Test
	void largeStructuredOutputIsSentAsATruncatedJsonTextPrefixWithALowerBoundOfItsSize() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		Map<String, Object> rows = new LinkedHashMap<>();
		for (int i = 0; i < 5000; i++) {
			rows.put("row" + i, "value-" + i);
		}
		String fullJson = JsonMapper.builder().build().writeValueAsString(rows);
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			client.runTool(bash("query"), (input) -> rows);
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		String sent = payload.get("tool_response").stringValue();
		Matcher marker = Pattern.compile("…\\[truncated by Runlayer SDK: at least (\\d+) bytes total]$").matcher(sent);
		assertThat(marker.find()).as(sent).isTrue();
		long atLeast = Long.parseLong(marker.group(1));
		// serialization stopped at the cap: the size is a true lower bound, more than the cap, not the full size
		assertThat(atLeast).isGreaterThan(CAP).isLessThanOrEqualTo(fullJson.length());
		String prefix = sent.substring(0, marker.start());
		assertThat(prefix).isNotEmpty();
		assertThat(fullJson).startsWith(prefix);
		// measured as sent: the JSON text prefix travels as a string, its quotes escaped
		int sentBytes = JsonMapper.builder().build().writeValueAsString(sent).getBytes(StandardCharsets.UTF_8).length
				- 2;
		assertThat(sentBytes).isLessThanOrEqualTo(CAP).isGreaterThan(CAP - 10);
		JsonNode truncation = payload.get("truncation").get("tool_response");
		assertThat(truncation.get("original_bytes").longValue()).isEqualTo(atLeast);
		assertThat(truncation.get("original_bytes_exact").booleanValue()).as("the size is a lower bound").isFalse();
		assertThat(truncation.get("sent_bytes").longValue()).isEqualTo(sentBytes);
	}

	@Test
	void aStructuredOutputOfUpToTwiceTheCapIsMeasuredExactly() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		Map<String, Object> rows = new LinkedHashMap<>();
		for (int i = 0; i < 80; i++) {
			rows.put("row" + i, "välue-" + i);
		}
		int fullBytes = JsonMapper.builder().build().writeValueAsBytes(rows).length;
		assertThat(fullBytes).isGreaterThan(CAP).isLessThan(2 * CAP);
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			client.runTool(bash("query"), (input) -> rows);
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		String sent = payload.get("tool_response").stringValue();
		assertThat(sent).endsWith("…[truncated by Runlayer SDK: " + fullBytes + " bytes total]");
		JsonNode truncation = payload.get("truncation").get("tool_response");
		assertThat(truncation.get("original_bytes").longValue()).isEqualTo(fullBytes);
		assertThat(truncation.has("original_bytes_exact")).isFalse();
		int sentBytes = JsonMapper.builder().build().writeValueAsString(sent).getBytes(StandardCharsets.UTF_8).length
				- 2;
		assertThat(truncation.get("sent_bytes").longValue()).isEqualTo(sentBytes);
		assertThat(sentBytes).isLessThanOrEqualTo(CAP);
	}

	@Test
	void structuredOutputSerializationStopsShortlyAfterTheCap() {
		OutputTruncator truncator = new OutputTruncator(JsonMapper.builder().build());
		AtomicInteger serialized = new AtomicInteger();
		int elements = 1_000_000;
		Iterable<Item> items = () -> new Iterator<>() {

			private int next;

			@Override
			public boolean hasNext() {
				return this.next < elements;
			}

			@Override
			public Item next() {
				return new Item(this.next++, serialized);
			}

		};
		BoundedJson bounded = truncator.bound(items, 1024, "tool_response");
		assertThat(bounded.truncated()).isTrue();
		assertThat(bounded.originalBytesExact()).isFalse();
		assertThat(bounded.originalBytes()).isGreaterThan(1024);
		assertThat(bounded.sentBytes()).isLessThanOrEqualTo(1024);
		assertThat(bounded.text()).startsWith("[{\"id\":0}")
			.endsWith("…[truncated by Runlayer SDK: at least " + bounded.originalBytes() + " bytes total]");
		// about one output buffer of Jackson (8000 bytes, ~800 elements), never the million
		assertThat(serialized.get()).isPositive().isLessThan(5_000);
	}

	@Test
	void aHugeListOfRecordsIsStoppedAtTheCapInsideRunTool() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicInteger serialized = new AtomicInteger();
		List<Item> rows = new ArrayList<>();
		for (int i = 0; i < 1_000_000; i++) {
			rows.add(new Item(i, serialized));
		}
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			assertThat(client.runTool(bash("query"), (input) -> rows)).isSameAs(rows);
		}
		assertThat(serialized.get()).isLessThan(5_000);
		JsonNode truncation = onlyBody(wm, POST).get("payload").get("truncation").get("tool_response");
		assertThat(truncation.get("original_bytes").longValue()).isGreaterThan(CAP);
		assertThat(truncation.get("original_bytes_exact").booleanValue()).isFalse();
		assertThat(truncation.get("sent_bytes").longValue()).isLessThanOrEqualTo(CAP);
	}

	@Test
	void structuredOutputOfExactlyTheCapIsSentWholeAsJson() {
		OutputTruncator truncator = new OutputTruncator(JsonMapper.builder().build());
		Map<String, Object> value = Map.of("k", "v".repeat(100));
		int size = JsonMapper.builder().build().writeValueAsBytes(value).length;
		BoundedJson whole = truncator.bound(value, size, "tool_response");
		assertThat(whole.truncated()).isFalse();
		assertThat(whole.originalBytesExact()).isTrue();
		assertThat(whole.originalBytes()).isEqualTo(size);
		assertThat(whole.payloadValue()).isInstanceOf(RawValue.class);
		BoundedJson cut = truncator.bound(value, size - 1, "tool_response");
		assertThat(cut.truncated()).isTrue();
		assertThat(cut.originalBytesExact()).as("within twice the cap the size is counted to the end").isTrue();
		assertThat(cut.originalBytes()).isEqualTo(size);
	}

	@Test
	void outputUnderTheCapIsSentWholeWithoutMetadata() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			client.runTool(bash("ls"), (input) -> Map.of("files", java.util.List.of("a", "b")));
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		assertThat(payload.get("tool_response").get("files").get(1).stringValue()).isEqualTo("b");
		assertThat(payload.has("truncation")).isFalse();
	}

	@Test
	void largeFailureOutputsAreTruncatedEachWithItsMetadata() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		LoudFailure failure = new LoudFailure("e".repeat(5000));
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			assertThatThrownBy(() -> client.runTool(bash("make"), (input) -> {
				throw failure;
			})).isSameAs(failure);
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		for (String field : new String[] { "error", "stdout", "stderr" }) {
			assertThat(payload.get(field).stringValue()).as(field).contains("…[truncated by Runlayer SDK: ");
			assertThat(payload.get(field).stringValue().getBytes(StandardCharsets.UTF_8).length).as(field)
				.isLessThanOrEqualTo(CAP);
			assertThat(payload.get("truncation").get(field).get("original_bytes").longValue()).as(field)
				.isGreaterThan(CAP);
		}
		assertThat(payload.get("truncation").get("stdout").get("original_bytes").longValue()).isEqualTo(20_000);
	}

	@Test
	void multiByteTextIsNeverCutInsideACharacter() {
		OutputTruncator truncator = new OutputTruncator(JsonMapper.builder().build());
		String text = "é€😀".repeat(1000);
		for (int cap = 60; cap < 80; cap++) {
			BoundedJson bounded = truncator.bound(text, cap, "tool_response");
			String sent = bounded.text();
			assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(cap)
				.isEqualTo((int) bounded.sentBytes());
			String prefix = sent.substring(0, sent.indexOf("…[truncated"));
			assertThat(text).startsWith(prefix);
			assertThat(new String(prefix.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(prefix);
			assertThat(bounded.originalBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
		}
	}

	@Test
	void multiByteJsonIsNeverCutInsideACharacter() {
		OutputTruncator truncator = new OutputTruncator(JsonMapper.builder().build());
		Map<String, Object> value = Map.of("text", "€".repeat(1000));
		for (int cap = 60; cap < 70; cap++) {
			BoundedJson bounded = truncator.bound(value, cap, "tool_response");
			String sent = bounded.text();
			assertThat(sent).doesNotContain("\uFFFD");
			assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(cap);
		}
	}

	@Test
	void outputThatCannotBeSerializedIsBlockedNotReleased() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		Map<String, Object> cyclic = new LinkedHashMap<>();
		cyclic.put("self", cyclic);
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x"), (input) -> cyclic))
				.isInstanceOfSatisfying(RunlayerBlockedException.class,
						(ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL));
		}
	}

	/** An element that counts its serialization. */
	static final class Item {

		private final int id;

		private final AtomicInteger serialized;

		Item(int id, AtomicInteger serialized) {
			this.id = id;
			this.serialized = serialized;
		}

		public int getId() {
			this.serialized.incrementAndGet();
			return this.id;
		}

	}

	static final class LoudFailure extends RuntimeException implements ToolFailureOutput {

		LoudFailure(String message) {
			super(message);
		}

		@Override
		public String stdout() {
			return "o".repeat(20_000);
		}

		@Override
		public String stderr() {
			return "s".repeat(20_000);
		}

	}

}
