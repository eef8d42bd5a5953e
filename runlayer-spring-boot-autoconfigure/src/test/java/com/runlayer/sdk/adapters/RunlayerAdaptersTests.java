package com.runlayer.sdk.adapters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The map-tool adapters: allow, rewrite and deny through every wrapper, with the original map untouched and the
 * extra context arguments passed through.
 */
class RunlayerAdaptersTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private RunlayerClient client;

	@BeforeEach
	void createClient() {
		this.client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.build();
	}

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	/** Wraps a tool named lookup_ticket through one of the wrappers and returns its enforced execute. */
	interface Wrapper extends BiFunction<Map<String, Object>, AdapterOptions, Map<String, Object>> {

	}

	static Stream<Arguments> wrappers() {
		Wrapper vercel = (tool, options) -> RunlayerAdapters.withRunlayerVercelAiTool("lookup_ticket", tool, options);
		Wrapper vercelSet = (tool, options) -> RunlayerAdapters
			.withRunlayerVercelAiTools(Map.of("lookup_ticket", tool), options)
			.get("lookup_ticket");
		Wrapper openAi = (tool, options) -> RunlayerAdapters.withRunlayerOpenAiAgentsTool(named(tool), options);
		Wrapper googleAdk = (tool, options) -> RunlayerAdapters.withRunlayerGoogleAdkTool(named(tool), options);
		Wrapper lowLevel = (tool, options) -> {
			AdapterExecute original = (AdapterExecute) tool.get("execute");
			Map<String, Object> copy = new LinkedHashMap<>(tool);
			copy.put("execute", (AdapterExecute) (input, context) -> RunlayerAdapters
				.runRunlayerAdapterTool("lookup_ticket", original, input, options, context));
			return copy;
		};
		return Stream.of(Arguments.of("withRunlayerVercelAiTool", vercel),
				Arguments.of("withRunlayerVercelAiTools", vercelSet),
				Arguments.of("withRunlayerOpenAiAgentsTool", openAi),
				Arguments.of("withRunlayerGoogleAdkTool", googleAdk),
				Arguments.of("runRunlayerAdapterTool", lowLevel));
	}

	private static Map<String, Object> named(Map<String, Object> tool) {
		Map<String, Object> copy = new LinkedHashMap<>(tool);
		copy.put("name", "lookup_ticket");
		return copy;
	}

	/** A tool that records what it was called with. */
	private static final class RecordingTool {

		final List<Map<String, Object>> inputs = new ArrayList<>();

		final List<Object[]> contexts = new ArrayList<>();

		Map<String, Object> map() {
			Map<String, Object> tool = new LinkedHashMap<>();
			tool.put("description", "Lookup a ticket");
			tool.put("parameters", Map.of("type", "object"));
			tool.put("execute", (AdapterExecute) (input, context) -> {
				this.inputs.add(input);
				this.contexts.add(context);
				return Map.of("ticket_id", input.get("ticket_id"), "status", "open");
			});
			return tool;
		}

	}

	private AdapterOptions options() {
		return AdapterOptions.of(this.client, "session-1");
	}

	private static Object call(Map<String, Object> tool, Map<String, Object> input, Object... context)
			throws Exception {
		return ((AdapterExecute) tool.get("execute")).execute(input, context);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wrappers")
	void anAllowedCallRunsTheToolWithItsInputAndContextAndReportsTheOutput(String label, Wrapper wrapper)
			throws Exception {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		RecordingTool recording = new RecordingTool();
		Map<String, Object> original = recording.map();
		Map<String, Object> snapshot = new LinkedHashMap<>(original);
		Object runContext = new Object();
		Object details = Map.of("toolCallId", "call_1");

		Map<String, Object> wrapped = wrapper.apply(original, options());
		Object output = call(wrapped, Map.of("ticket_id", "T-1"), runContext, details);

		assertThat(output).isEqualTo(Map.of("ticket_id", "T-1", "status", "open"));
		assertThat(recording.inputs).containsExactly(Map.of("ticket_id", "T-1"));
		assertThat(recording.contexts.get(0)).containsExactly(runContext, details);
		assertThat(original).isEqualTo(snapshot);
		assertThat(wrapped).isNotSameAs(original)
			.containsEntry("description", "Lookup a ticket")
			.containsEntry("parameters", Map.of("type", "object"));
		assertThat(wrapped.get("execute")).isNotSameAs(original.get("execute"));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.tool_name", equalTo("lookup_ticket")))
			.withRequestBody(matchingJsonPath("$.payload.session_id", equalTo("session-1")))
			.withRequestBody(matchingJsonPath("$.payload.tool_type", equalTo("function")))
			.withRequestBody(matchingJsonPath("$.payload.tool_input", equalToJson("{\"ticket_id\":\"T-1\"}"))));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_response.status", equalTo("open"))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wrappers")
	void aRewrittenCallRunsTheToolWithRunlayersArguments(String label, Wrapper wrapper) throws Exception {
		wm.stubFor(post(PRE).willReturn(
				okJson("{\"permission\":\"allow\",\"modified_args\":{\"ticket_id\":\"T-REDACTED\"}}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		RecordingTool recording = new RecordingTool();

		Object output = call(wrapper.apply(recording.map(), options()), Map.of("ticket_id", "T-1"), "ctx");

		assertThat(recording.inputs).containsExactly(Map.of("ticket_id", "T-REDACTED"));
		assertThat(recording.contexts.get(0)).containsExactly("ctx");
		assertThat(output).isEqualTo(Map.of("ticket_id", "T-REDACTED", "status", "open"));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.ticket_id", equalTo("T-REDACTED"))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wrappers")
	void aDeniedCallThrowsAndNeverRunsTheTool(String label, Wrapper wrapper) {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"tickets are private\"}")));
		RecordingTool recording = new RecordingTool();
		Map<String, Object> wrapped = wrapper.apply(recording.map(), options());

		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> call(wrapped, Map.of("ticket_id", "T-1")))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo("tickets are private");
				assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
				assertThat(ex.outage()).isFalse();
			});
		assertThat(recording.inputs).isEmpty();
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void aMaskedOutputIsReturnedInsteadOfTheRawOne() throws Exception {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"[masked]\"}")));
		Map<String, Object> tool = RunlayerAdapters.withRunlayerVercelAiTool("echo",
				Map.of("execute", (AdapterExecute) (input, context) -> "secret " + input.get("text")), options());
		assertThat(call(tool, Map.of("text", "hello"))).isEqualTo("[masked]");
	}

	@Test
	void aBlockedOutputThrows() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":true,\"block_reason\":\"PII\"}")));
		Map<String, Object> tool = RunlayerAdapters.withRunlayerVercelAiTool("echo",
				Map.of("execute", (AdapterExecute) (input, context) -> "ssn 123-45-6789"), options());
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> call(tool, Map.of()))
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL));
	}

	@Test
	void aFailingToolIsReportedAndItsExceptionRethrownUnchanged() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		IOException failure = new IOException("disk full");
		Map<String, Object> tool = RunlayerAdapters.withRunlayerVercelAiTool("write",
				Map.of("execute", (AdapterExecute) (input, context) -> {
					throw failure;
				}), options());
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> call(tool, Map.of())).isSameAs(failure);
		// the failure telemetry leaves the caller's thread on the session's event lane
		this.client.eventDispatcher().awaitSession("session-1", java.time.Duration.ofSeconds(5));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.event_name", equalTo("PostToolUseFailure"))));
	}

	@Test
	void theSessionIdComesFromTheResolverThenTheOptionsThenTheCurrentScope() throws Exception {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		AdapterExecute execute = (input, context) -> "ok";
		AdapterOptions resolving = AdapterOptions.builder(this.client)
			.sessionId("fixed")
			.sessionIdResolver((context) -> (context.length > 0 && context[0] instanceof Map<?, ?> run)
					? (String) run.get("conversationId") : null)
			.build();
		Map<String, Object> tool = RunlayerAdapters.withRunlayerVercelAiTool("t", Map.of("execute", execute), resolving);
		call(tool, Map.of(), Map.of("conversationId", "from-context"));
		call(tool, Map.of());
		Map<String, Object> scoped = RunlayerAdapters.withRunlayerVercelAiTool("t", Map.of("execute", execute),
				AdapterOptions.of(this.client, null));
		RunlayerSession.call("from-scope", () -> call(scoped, Map.of()));

		for (String session : List.of("from-context", "fixed", "from-scope")) {
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE))
				.withRequestBody(matchingJsonPath("$.payload.session_id", equalTo(session))));
		}
	}

	@Test
	void aToolWithoutSessionIdFailsBeforeRunning() {
		AtomicInteger ran = new AtomicInteger();
		Map<String, Object> tool = RunlayerAdapters.withRunlayerVercelAiTool("t",
				Map.of("execute", (AdapterExecute) (input, context) -> ran.incrementAndGet()),
				AdapterOptions.of(this.client, null));
		assertThatExceptionOfType(RunlayerException.class).isThrownBy(() -> call(tool, Map.of()))
			.withMessageContaining("sessionId");
		assertThat(ran).hasValue(0);
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@Test
	void theOptionsToolTypeAndMcpServerReachTheFiltersAndThePayload() throws Exception {
		AtomicInteger ran = new AtomicInteger();
		AdapterOptions selfMcp = AdapterOptions.builder(this.client)
			.sessionId("s1")
			.toolType("mcp")
			.mcpServerName("runlayer")
			.build();
		Map<String, Object> tool = RunlayerAdapters.withRunlayerOpenAiAgentsTool(
				Map.of("name", "search_tools", "execute", (AdapterExecute) (input, context) -> ran.incrementAndGet()),
				selfMcp);
		call(tool, Map.of("query", "x"));
		assertThat(ran).hasValue(1);
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));

		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		AdapterOptions github = AdapterOptions.builder(this.client)
			.sessionId("s1")
			.toolType("mcp")
			.mcpServerName("github")
			.build();
		call(RunlayerAdapters.withRunlayerOpenAiAgentsTool(
				Map.of("name", "list_repos", "execute", (AdapterExecute) (input, context) -> "[]"), github), Map.of());
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.payload.tool_type", equalTo("mcp")))
			.withRequestBody(matchingJsonPath("$.payload.mcp_server_name", equalTo("github"))));
	}

	@Test
	void aPerToolOpenFailureModeAllowsDuringAnOutage() throws Exception {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
		wm.stubFor(post(POST).willReturn(aResponse().withStatus(503)));
		AdapterOptions open = AdapterOptions.builder(this.client)
			.sessionId("s1")
			.failureMode(EnforcementFailureMode.OPEN)
			.build();
		Map<String, Object> tool = RunlayerAdapters.withRunlayerVercelAiTool("t",
				Map.of("execute", (AdapterExecute) (input, context) -> "ran"), open);
		assertThat(call(tool, Map.of())).isEqualTo("ran");
		Map<String, Object> closed = RunlayerAdapters.withRunlayerVercelAiTool("t",
				Map.of("execute", (AdapterExecute) (input, context) -> "ran"), options());
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> call(closed, Map.of()))
			.satisfies((ex) -> assertThat(ex.outage()).isTrue());
	}

	@Test
	void anOpenAiChatCompletionsShapeIsNamedByItsFunctionEntry() throws Exception {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		Map<String, Object> tool = new LinkedHashMap<>();
		tool.put("type", "function");
		tool.put("function", Map.of("name", "get_weather", "parameters", Map.of("type", "object")));
		tool.put("execute", (AdapterExecute) (input, context) -> "sunny");
		call(RunlayerAdapters.withRunlayerOpenAiAgentsTool(tool, options()), Map.of());
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.tool_name", equalTo("get_weather"))));
	}

	@Test
	void wrappingTwiceEnforcesOnce() throws Exception {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		Map<String, Object> once = RunlayerAdapters.withRunlayerVercelAiTool("t",
				Map.of("execute", (AdapterExecute) (input, context) -> "ok"), options());
		Map<String, Object> twice = RunlayerAdapters.withRunlayerVercelAiTool("t", once, options());
		call(twice, Map.of());
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void aToolWithoutExecuteIsCopiedUnchanged() {
		Map<String, Object> clientSide = Map.of("description", "runs in the browser");
		Map<String, Object> wrapped = RunlayerAdapters.withRunlayerVercelAiTool("confirm", clientSide, options());
		assertThat(wrapped).isEqualTo(clientSide).isNotSameAs(clientSide);
	}

	@Test
	void anExecuteOfAnotherTypeIsRejectedRatherThanLeftUnenforced() {
		java.util.function.Function<Map<String, Object>, Object> plain = (input) -> "x";
		assertThatExceptionOfType(RunlayerException.class)
			.isThrownBy(() -> RunlayerAdapters.withRunlayerVercelAiTool("t", Map.of("execute", plain), options()))
			.withMessageContaining("AdapterExecute");
	}

	@Test
	void toolsWithoutANameAreRejected() {
		Map<String, Object> nameless = Map.of("execute", (AdapterExecute) (input, context) -> "x");
		assertThatExceptionOfType(RunlayerException.class)
			.isThrownBy(() -> RunlayerAdapters.withRunlayerOpenAiAgentsTool(nameless, options()));
		assertThatExceptionOfType(RunlayerException.class)
			.isThrownBy(() -> RunlayerAdapters.withRunlayerGoogleAdkTool(nameless, options()));
		assertThatExceptionOfType(RunlayerException.class)
			.isThrownBy(() -> RunlayerAdapters.withRunlayerVercelAiTool(" ", nameless, options()));
	}

	@Test
	void aVercelToolSetKeepsItsOrderAndRejectsNonMapValues() {
		Map<String, Object> tools = new LinkedHashMap<>();
		tools.put("b", Map.of("execute", (AdapterExecute) (input, context) -> "b"));
		tools.put("a", Map.of("description", "no execute"));
		assertThat(RunlayerAdapters.withRunlayerVercelAiTools(tools, options()).keySet()).containsExactly("b", "a");
		tools.put("c", "not a tool");
		assertThatExceptionOfType(RunlayerException.class)
			.isThrownBy(() -> RunlayerAdapters.withRunlayerVercelAiTools(tools, options()))
			.withMessageContaining("'c'");
	}

}
