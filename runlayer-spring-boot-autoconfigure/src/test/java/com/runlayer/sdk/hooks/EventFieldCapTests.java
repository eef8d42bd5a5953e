package com.runlayer.sdk.hooks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifecycle event fields are capped and marked exactly like tool output: the same truncation rule, the same marker
 * and a {@code payload.truncation.<field>} entry; fields within the cap are sent unchanged.
 */
class EventFieldCapTests {

	private static final long CAP = 64 * 1024;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final HookPayloads payloads = new HookPayloads(this.mapper, "python-sdk", "1.0");

	private final OutputTruncator truncator = new OutputTruncator(this.mapper);

	private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void aOneMegabytePromptIsSentAsTheCappedPrefixWithTheToolOutputMarker() {
		String prompt = "é".repeat(512 * 1024);
		JsonNode payload = send(Map.of("prompt", prompt)).get("payload");
		String sent = payload.get("prompt").stringValue();
		BoundedJson expected = this.truncator.bound(prompt, CAP, "prompt");
		assertThat(sent).isEqualTo(expected.text());
		assertThat(sent).endsWith(String.format(OutputTruncator.MARKER_FORMAT, 1024 * 1024));
		assertThat(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo((int) CAP);
		assertThat(payload.get("truncation").get("prompt").get("original_bytes").longValue()).isEqualTo(1024 * 1024);
		assertThat(payload.get("truncation").get("prompt").get("sent_bytes").longValue())
			.isEqualTo(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
	}

	@Test
	void aLargeStructuredFieldIsCutAtTheCapWithItsExactSize() {
		Map<String, Object> big = new LinkedHashMap<>();
		for (int i = 0; i < 2_500; i++) {
			big.put("k" + i, List.of(i, "value " + i));
		}
		long full = JsonMapper.builder().build().writeValueAsBytes(big).length;
		assertThat(full).isGreaterThan(CAP).isLessThan(2 * CAP);
		JsonNode payload = send(Map.of("context", big)).get("payload");
		assertThat(payload.get("context").isString()).isTrue();
		assertThat(payload.get("context").stringValue()).endsWith("…[truncated by Runlayer SDK: " + full + " bytes total]");
		assertThat(payload.get("truncation").get("context").get("original_bytes").longValue()).isEqualTo(full);
	}

	@Test
	void aHugeStructuredFieldIsCutWithALowerBoundMarker() {
		Map<String, Object> big = new LinkedHashMap<>();
		for (int i = 0; i < 80_000; i++) {
			big.put("k" + i, List.of(i, "value " + i));
		}
		JsonNode payload = send(Map.of("context", big)).get("payload");
		assertThat(payload.get("context").stringValue()).contains("…[truncated by Runlayer SDK: at least ");
		assertThat(payload.get("truncation").get("context").get("original_bytes").longValue()).isGreaterThan(2 * CAP);
		assertThat(payload.get("truncation").get("context").get("original_bytes_exact").booleanValue()).isFalse();
	}

	@Test
	void fieldsWithinTheCapAreSentAsTheUncappedBuilderSendsThem() {
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("prompt", "hello");
		extra.put("seq", 3);
		extra.put("nested", Map.of("a", List.of(1, 2)));
		extra.put("flag", true);
		extra.put("nothing", null);
		ObjectNode capped = this.payloads.event("UserPromptSubmit", "s1", extra, this.now, null, this.truncator, CAP);
		JsonNode expected = this.mapper.readTree("{\"client\":\"python-sdk\",\"event_name\":\"UserPromptSubmit\","
				+ "\"payload\":{\"session_id\":\"s1\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"hello\","
				+ "\"seq\":3,\"nested\":{\"a\":[1,2]},\"flag\":true,\"nothing\":null,"
				+ "\"timestamp\":\"" + HookPayloads.timestamp(this.now) + "\",\"client_version\":\"1.0\"}}");
		assertThat(this.mapper.readTree(this.payloads.toBytes(capped))).isEqualTo(expected);
		assertThat(capped.get("payload").has("truncation")).isFalse();
	}

	@Test
	void aGivenTimestampIsKeptAndAnEmptyOrNullOneIsStamped() {
		assertThat(send(Map.of("timestamp", "2020-01-01T00:00:00+00:00")).get("payload").get("timestamp").stringValue())
			.isEqualTo("2020-01-01T00:00:00+00:00");
		assertThat(send(Map.of("timestamp", "")).get("payload").get("timestamp").stringValue())
			.isEqualTo(HookPayloads.timestamp(this.now));
		Map<String, Object> nullStamp = new LinkedHashMap<>();
		nullStamp.put("timestamp", null);
		assertThat(send(nullStamp).get("payload").get("timestamp").stringValue())
			.isEqualTo(HookPayloads.timestamp(this.now));
	}

	private JsonNode send(Map<String, ?> extra) {
		ObjectNode body = this.payloads.event("UserPromptSubmit", "s1", extra, this.now, null, this.truncator, CAP);
		return this.mapper.readTree(this.payloads.toBytes(body));
	}

}
