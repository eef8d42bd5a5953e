package com.runlayer.sdk.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile tool input: missing or blank names and session ids, cyclic object graphs, arguments Jackson cannot
 * serialize and a 50 MB argument end in a clear {@link RunlayerException} before the tool runs and before anything
 * goes over the wire; hostile outputs end in a fail-closed block, or, when too large or endless, are sent truncated to
 * the cap. Never a partial execution, never an OOM.
 */
class HostileToolInputTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	@RegisterExtension
	static final LogCapture logs = new LogCapture();

	@RegisterExtension
	static final WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final AtomicInteger runs = new AtomicInteger();

	private RunlayerClient client;

	@BeforeEach
	void setUp() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		this.client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY)
			.timeout(Duration.ofSeconds(5))
			.build();
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	static List<Arguments> hostileCalls() {
		Map<String, Object> cyclicMap = new HashMap<>();
		cyclicMap.put("self", cyclicMap);
		Node a = new Node("a");
		Node b = new Node("b");
		a.next = b;
		b.next = a;
		Map<String, Object> deep = new LinkedHashMap<>();
		Map<String, Object> cursor = deep;
		for (int i = 0; i < 5000; i++) {
			Map<String, Object> child = new LinkedHashMap<>();
			cursor.put("d", child);
			cursor = child;
		}
		return List.of(
				Arguments.of("null tool name", call("s1", null, Map.of("a", 1)), "toolName"),
				Arguments.of("blank tool name", call("s1", " \t", Map.of("a", 1)), "toolName"),
				Arguments.of("null session id", call(null, "Bash", Map.of("a", 1)), "sessionId"),
				Arguments.of("blank session id", call("  ", "Bash", Map.of("a", 1)), "sessionId"),
				Arguments.of("cyclic map", call("s1", "Bash", Map.of("graph", cyclicMap)), "tool_input"),
				Arguments.of("cyclic object graph", call("s1", "Bash", Map.of("graph", a)), "tool_input"),
				Arguments.of("5000 levels deep", call("s1", "Bash", deep), "tool_input"),
				Arguments.of("empty bean", call("s1", "Bash", Map.of("thing", new Object())), "tool_input"),
				Arguments.of("throwing getter", call("s1", "Bash", Map.of("thing", new ThrowingGetter())), "tool_input"),
				Arguments.of("opaque object", call("s1", "Bash", Map.of("thing", new Opaque("rm -rf /"))), "tool_input"),
				Arguments.of("input stream", call("s1", "Bash", Map.of("in", new java.io.ByteArrayInputStream(new byte[8]))),
						"tool_input"),
				Arguments.of("50 MB string", call("s1", "Bash", Map.of("blob", "x".repeat(50 * 1024 * 1024))),
						"tool_input"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileCalls")
	void hostileInputIsRejectedBeforeTheToolRunsAndBeforeAnyRequest(String name, ToolCall call, String field) {
		long started = System.nanoTime();
		assertThatThrownBy(() -> this.client.runTool(call, (input) -> {
			this.runs.incrementAndGet();
			return "ran";
		})).isInstanceOf(RunlayerException.class).hasMessageContaining(field);
		assertThat(this.runs).as("tool executions").hasValue(0);
		wm.verify(0, anyRequestedFor(anyUrl()));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void aCyclicToolOutputIsBlockedNeverReleased() {
		Node a = new Node("a");
		a.next = a;
		assertThatThrownBy(() -> this.client.runTool(call("s1", "Bash", Map.of()), (input) -> {
			this.runs.incrementAndGet();
			return a;
		})).isInstanceOfSatisfying(RunlayerBlockedException.class,
				(ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL));
		assertThat(this.runs).hasValue(1);
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void anOpaqueToolOutputIsBlockedNeverReleasedUnscanned() {
		assertThatThrownBy(() -> this.client.runTool(call("s1", "Bash", Map.of()), (input) -> new Opaque("secret")))
			.isInstanceOfSatisfying(RunlayerBlockedException.class,
					(ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL));
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void aFiftyMegabyteToolOutputIsSentTruncatedToTheCap() {
		String huge = "y".repeat(50 * 1024 * 1024);
		Object out = this.client.runTool(call("s1", "Bash", Map.of()), (input) -> huge);
		assertThat(out).isSameAs(huge);
		List<ServeEvent> posts = wm.getAllServeEvents()
			.stream()
			.filter((e) -> e.getRequest().getUrl().equals(POST))
			.toList();
		assertThat(posts).hasSize(1);
		int bytes = posts.get(0).getRequest().getBody().length;
		assertThat(bytes).as("tool/post body bytes").isLessThan((int) RunlayerClient.DEFAULT_MAX_TOOL_OUTPUT_BYTES + 4096);
		assertThat(posts.get(0).getRequest().getBodyAsString()).contains("truncated by Runlayer SDK: 52428800 bytes total");
		// text is measured exactly
		wm.verify(postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.truncation.tool_response.original_bytes", equalTo("52428800"))));
	}

	@Test
	void anEndlessStructuredToolOutputIsSerializedOnlyUpToTheCapAndSentTruncated() {
		AtomicInteger produced = new AtomicInteger();
		Iterable<Map<String, Object>> endless = () -> new java.util.Iterator<>() {

			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Map<String, Object> next() {
				return Map.of("row", produced.incrementAndGet());
			}

		};
		Object out = this.client.runTool(call("s1", "Bash", Map.of()), (input) -> endless);
		assertThat(out).isSameAs(endless);
		long cap = RunlayerClient.DEFAULT_MAX_TOOL_OUTPUT_BYTES;
		// counted up to twice the cap for an exact size, then stopped: rows are at least 10 bytes of JSON
		assertThat(produced.get()).as("rows serialized").isLessThan((int) (cap * 2 / 10 + 1000));
		List<ServeEvent> posts = wm.getAllServeEvents()
			.stream()
			.filter((e) -> e.getRequest().getUrl().equals(POST))
			.toList();
		assertThat(posts).hasSize(1);
		// the cut JSON text is sent as a string, so its quotes are escaped once more in the body
		assertThat(posts.get(0).getRequest().getBody().length).isLessThan(2 * (int) cap + 4096);
		wm.verify(postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.truncation.tool_response.original_bytes",
					matching("[0-9]+")))
			.withRequestBody(matchingJsonPath("$.payload.tool_response",
					containing("…[truncated by Runlayer SDK: at least "))));
	}

	@Test
	void aFiftyMegabyteFailureMessageIsSentTruncatedAndTheToolErrorIsRethrown() {
		IllegalStateException error = new IllegalStateException("z".repeat(50 * 1024 * 1024));
		assertThatThrownBy(() -> this.client.runTool(call("s1", "Bash", Map.of()), (input) -> {
			throw error;
		})).isSameAs(error);
		// the failure telemetry is sent from the session's event lane
		this.client.eventDispatcher().awaitSession("s1", java.time.Duration.ofSeconds(10));
		List<ServeEvent> posts = wm.getAllServeEvents()
			.stream()
			.filter((e) -> e.getRequest().getUrl().equals(POST))
			.toList();
		assertThat(posts).hasSize(1);
		assertThat(posts.get(0).getRequest().getBody().length).isLessThan(
				4 * (int) RunlayerClient.DEFAULT_MAX_TOOL_OUTPUT_BYTES + 8192);
	}

	private static ToolCall call(String sessionId, String toolName, Map<String, Object> input) {
		return ToolCall.builder().sessionId(sessionId).toolName(toolName).toolType("shell").toolInput(input).build();
	}

	/** A node of a cyclic graph. */
	public static final class Node {

		private final String name;

		private Node next;

		Node(String name) {
			this.name = name;
		}

		public String getName() {
			return this.name;
		}

		public Node getNext() {
			return this.next;
		}

	}

	/** An object whose state Jackson cannot see: Runlayer would scan {} while the tool gets the data. */
	public static final class Opaque {

		private final String command;

		Opaque(String command) {
			this.command = command;
		}

		@Override
		public String toString() {
			return this.command;
		}

	}

	/** A bean whose getter throws. */
	public static final class ThrowingGetter {

		public String getValue() {
			throw new IllegalStateException("getter exploded");
		}

	}

}
