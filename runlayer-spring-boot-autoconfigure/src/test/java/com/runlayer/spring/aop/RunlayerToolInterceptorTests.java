package com.runlayer.spring.aop;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.runlayer.sdk.EnforcementGuard;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.spring.aop.TestTools.FriendlyGreeter;
import com.runlayer.spring.aop.TestTools.Greeter;
import com.runlayer.spring.aop.TestTools.LineItem;
import com.runlayer.spring.aop.TestTools.ShellTools;
import com.runlayer.spring.aop.TestTools.Ticket;
import com.runlayer.spring.aop.TestTools.TicketTools;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @RunlayerTool} enforcement in a Spring context against a WireMock Runlayer.
 */
class RunlayerToolInterceptorTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private ApplicationContextRunner runner() {
		return runner(wm.baseUrl());
	}

	private static ApplicationContextRunner runner(String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RunlayerAutoConfiguration.class,
					RunlayerAopAutoConfiguration.class))
			.withPropertyValues("runlayer.base-url=" + baseUrl, "runlayer.api-key=rl_test_key",
					"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0")
			.withBean(TicketTools.class)
			.withBean(ShellTools.class);
	}

	private static void preAnswers(String body) {
		wm.stubFor(post(urlEqualTo(PRE)).willReturn(okJson(body)));
	}

	private static void postAnswers(String body) {
		wm.stubFor(post(urlEqualTo(POST)).willReturn(okJson(body)));
	}

	private static void allowAll() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":false}");
	}

	private static JsonNode onlyBody(String path) {
		List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo(path)));
		assertThat(requests).hasSize(1);
		return json.readTree(requests.get(0).getBodyAsString());
	}

	private static int requestCount() {
		return wm.getAllServeEvents().size();
	}

	@Test
	void allowedCallRunsTheToolAndSendsItsNamedArgumentsAndOutput() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.lookupTicket("T-1", "s-1")).isEqualTo(new Ticket("T-1", "open"));
			assertThat(tools.calls()).isEqualTo(1);
		});
		JsonNode pre = onlyBody(PRE);
		assertThat(pre.at("/event_name").stringValue()).isEqualTo("PreToolUse");
		assertThat(pre.at("/tool_name").stringValue()).isEqualTo("lookup_ticket");
		assertThat(pre.at("/payload/session_id").stringValue()).isEqualTo("s-1");
		assertThat(pre.at("/payload/tool_type").stringValue()).isEqualTo("function");
		assertThat(pre.at("/payload/tool_input")).isEqualTo(json.readTree("{\"ticketId\":\"T-1\"}"));
		JsonNode post = onlyBody(POST);
		assertThat(post.at("/event_name").stringValue()).isEqualTo("PostToolUse");
		assertThat(post.at("/payload/tool_response")).isEqualTo(json.readTree("{\"id\":\"T-1\",\"status\":\"open\"}"));
		assertThat(post.at("/payload/tool_use_id").stringValue()).isEqualTo(pre.at("/payload/tool_use_id").stringValue());
	}

	@Test
	void deniedCallThrowsAndNeverRunsTheTool() {
		preAnswers("{\"permission\":\"deny\",\"block_reason\":\"tickets are off limits\"}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.lookupTicket("T-1", "s-1")).isInstanceOfSatisfying(
					RunlayerBlockedException.class, (ex) -> {
						assertThat(ex.reason()).isEqualTo("tickets are off limits");
						assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
						assertThat(ex.outage()).isFalse();
					});
			assertThat(tools.calls()).isEqualTo(0);
		});
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void rewrittenStringAndNumberArgumentsReachTheTool() {
		preAnswers("{\"permission\":\"allow\",\"modified_args\":{\"text\":\"safe\",\"times\":2}}");
		postAnswers("{\"blocked\":false}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.echo("rm -rf /", 1, "s-1")).isEqualTo("safesafe");
		});
		assertThat(onlyBody(PRE).at("/payload/tool_input"))
			.isEqualTo(json.readTree("{\"text\":\"rm -rf /\",\"times\":1}"));
		assertThat(onlyBody(POST).at("/payload/tool_input"))
			.isEqualTo(json.readTree("{\"text\":\"safe\",\"times\":2}"));
		assertThat(onlyBody(POST).at("/payload/tool_response").stringValue()).isEqualTo("safesafe");
	}

	@Test
	void singleRecordParameterIsSentAsItsJsonFormAndRewrittenBackToTheRecord() {
		preAnswers("{\"permission\":\"allow\",\"modified_args\":{\"id\":\"T-9\",\"status\":\"redacted\"}}");
		postAnswers("{\"blocked\":false}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.createTicket(new Ticket("T-9", "secret"), "s-1")).isEqualTo("redacted");
			assertThat(tools.lastArgument()).isEqualTo(new Ticket("T-9", "redacted"));
		});
		assertThat(onlyBody(PRE).at("/payload/tool_input"))
			.isEqualTo(json.readTree("{\"id\":\"T-9\",\"status\":\"secret\"}"));
	}

	@Test
	void singleMapParameterIsSentAsItselfAndRewritten() {
		preAnswers("{\"permission\":\"allow\",\"modified_args\":{\"label\":\"public\"}}");
		postAnswers("{\"blocked\":false}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.tagTicket(Map.of("label", "internal"), "s-1")).isEqualTo("public");
		});
		assertThat(onlyBody(PRE).at("/payload/tool_input")).isEqualTo(json.readTree("{\"label\":\"internal\"}"));
	}

	@Test
	void rewrittenListOfRecordsIsConvertedWithItsGenericType() {
		preAnswers("{\"permission\":\"allow\",\"modified_args\":{\"items\":[{\"sku\":\"A\",\"quantity\":1},"
				+ "{\"sku\":\"B\",\"quantity\":5}],\"orderId\":\"O-2\"}}");
		postAnswers("{\"blocked\":false}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.totalQuantity(List.of(new LineItem("A", 100)), "O-1", "s-1")).isEqualTo(6);
			assertThat(tools.lastArgument()).isEqualTo(List.of(new LineItem("A", 1), new LineItem("B", 5)));
		});
		assertThat(onlyBody(POST).at("/payload/tool_response").intValue()).isEqualTo(6);
	}

	@Test
	void rewriteThatCannotBeAppliedIsBlockedAndTheToolNeverRuns() {
		Map<String, String> rewrites = Map.of(
				"{\"text\":\"a\",\"times\":1,\"sudo\":true}", "unknown parameter 'sudo'",
				"{\"text\":\"a\"}", "required parameter 'times'",
				"{\"text\":\"a\",\"times\":\"many\"}", "parameter 'times'",
				"{\"text\":\"a\",\"times\":null}", "required parameter 'times' to null",
				"{\"text\":{\"nested\":1},\"times\":1}", "parameter 'text'");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			rewrites.forEach((rewrite, reason) -> {
				wm.resetAll();
				preAnswers("{\"permission\":\"allow\",\"modified_args\":" + rewrite + "}");
				postAnswers("{}");
				assertThatThrownBy(() -> tools.echo("x", 1, "s-1")).as(rewrite)
					.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
						assertThat(ex.reason()).contains(reason).contains("'echo'");
						assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
						assertThat(ex.outage()).isFalse();
					});
				assertThat(tools.calls()).isEqualTo(0);
				// Runlayer allowed the call, so the audit trail is closed with a failure record (sent from the
				// session's event lane).
				context.getBean(com.runlayer.sdk.RunlayerClient.class)
					.eventDispatcher()
					.awaitSession("s-1", java.time.Duration.ofSeconds(5));
				wm.verify(1, postRequestedFor(urlEqualTo(POST))
					.withRequestBody(matchingJsonPath("$.event_name", equalTo("PostToolUseFailure"))));
			});
		});
	}

	@Test
	void rewriteWithAnUnknownRecordPropertyIsBlocked() {
		preAnswers("{\"permission\":\"allow\",\"modified_args\":{\"id\":\"T-9\",\"status\":\"x\",\"owner\":\"eve\"}}");
		postAnswers("{}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.createTicket(new Ticket("T-9", "new"), "s-1"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class,
						(ex) -> assertThat(ex.reason()).contains("parameter 'ticket'").contains("'owner'"));
			assertThat(tools.calls()).isEqualTo(0);
		});
	}

	@Test
	void blockedOutputThrowsAfterTheToolRan() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":true,\"block_reason\":\"ticket contains PII\"}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.lookupTicket("T-1", "s-1")).isInstanceOfSatisfying(
					RunlayerBlockedException.class, (ex) -> {
						assertThat(ex.reason()).isEqualTo("ticket contains PII");
						assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
					});
			assertThat(tools.calls()).isEqualTo(1);
		});
	}

	@Test
	void maskedOutputReplacesAStringResult() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":false,\"modified_output\":\"[masked]\"}");
		runner().run((context) -> assertThat(context.getBean(TicketTools.class).echo("4111-1111", 1, "s-1"))
			.isEqualTo("[masked]"));
	}

	@Test
	void maskedOutputIsConvertedToTheRecordReturnType() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":false,\"modified_output\":\"{\\\"id\\\":\\\"T-1\\\",\\\"status\\\":\\\"***\\\"}\"}");
		runner().run((context) -> assertThat(context.getBean(TicketTools.class).lookupTicket("T-1", "s-1"))
			.isEqualTo(new Ticket("T-1", "***")));
	}

	@Test
	void maskedOutputThatDoesNotFitTheReturnTypeIsBlocked() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":false,\"modified_output\":\"not json\"}");
		runner().run((context) -> assertThatThrownBy(
				() -> context.getBean(TicketTools.class).lookupTicket("T-1", "s-1"))
			.isInstanceOfSatisfying(RunlayerBlockedException.class,
					(ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL)));
	}

	@Test
	void voidToolSendsNullOutput() {
		allowAll();
		runner().run((context) -> context.getBean(TicketTools.class).audit("hello", "s-1"));
		assertThat(onlyBody(POST).at("/payload/tool_response").isNull()).isTrue();
	}

	@Test
	void failingToolSendsFailureTelemetryAndRethrowsTheSameException() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.explode("s-1")).isSameAs(tools.failure());
		});
		JsonNode failure = onlyBody(POST);
		assertThat(failure.at("/event_name").stringValue()).isEqualTo("PostToolUseFailure");
		assertThat(failure.at("/payload/error").stringValue()).contains("IOException: disk on fire");
	}

	@Test
	void completableFutureToolIsEnforcedWhenItCompletes() {
		allowAll();
		runner().run((context) -> {
			CompletableFuture<Ticket> result = context.getBean(TicketTools.class).lookupAsync("T-2", "s-1");
			assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new Ticket("T-2", "open"));
		});
		assertThat(onlyBody(POST).at("/payload/tool_response/id").stringValue()).isEqualTo("T-2");
	}

	@Test
	void closingTheContextStopsTheCompletionThreadsOfAsyncTools() throws InterruptedException {
		allowAll();
		Set<Thread> before = completionThreads();
		Set<Thread> ours = new HashSet<>();
		runner().run((context) -> {
			CompletableFuture<Ticket> result = context.getBean(TicketTools.class).lookupAsync("T-3", "s-1");
			assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new Ticket("T-3", "open"));
			ours.addAll(completionThreads());
			ours.removeAll(before);
			// the post-tool call ran on a pooled completion thread, which idles for 30 s before it ends by itself
			assertThat(ours).isNotEmpty().allSatisfy((thread) -> assertThat(thread.isAlive()).isTrue());
		});
		for (Thread thread : ours) {
			thread.join(5_000);
			assertThat(thread.isAlive()).as("%s after the context closed", thread.getName()).isFalse();
		}
	}

	@Test
	void asyncToolCompletingAfterTheShutdownIsStillCheckedAndCompleted() {
		allowAll();
		runner().run((context) -> {
			// what the context close does first: the advisor is destroyed while a tool's future is still pending
			context.getBean(RunlayerToolAdvisor.class).destroy();
			CompletableFuture<Ticket> result = context.getBean(TicketTools.class).lookupAsync("T-4", "s-1");
			assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new Ticket("T-4", "open"));
		});
		assertThat(onlyBody(POST).at("/payload/tool_response/id").stringValue()).isEqualTo("T-4");
	}

	private static Set<Thread> completionThreads() {
		Set<Thread> threads = new HashSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().equals("runlayer-tool-completion")) {
				threads.add(thread);
			}
		}
		return threads;
	}

	@Test
	void deniedCompletableFutureToolFailsTheFutureAndNeverRuns() {
		preAnswers("{\"permission\":\"deny\",\"block_reason\":\"no\"}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			CompletableFuture<Ticket> result = tools.lookupAsync("T-2", "s-1");
			assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(RunlayerBlockedException.class);
			assertThat(tools.calls()).isEqualTo(0);
		});
	}

	@Test
	void blockedOutputOfACompletableFutureToolFailsTheFuture() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":true,\"block_reason\":\"pii\"}");
		runner().run((context) -> {
			CompletableFuture<Ticket> result = context.getBean(TicketTools.class).lookupAsync("T-2", "s-1");
			assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).cause()
				.isInstanceOfSatisfying(RunlayerBlockedException.class,
						(ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL));
		});
	}

	@Test
	void maskedOutputOfACompletableFutureToolUsesTheFutureTypeArgument() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":false,\"modified_output\":\"{\\\"id\\\":\\\"T-2\\\",\\\"status\\\":\\\"***\\\"}\"}");
		runner().run((context) -> assertThat(
				context.getBean(TicketTools.class).lookupAsync("T-2", "s-1").get(10, TimeUnit.SECONDS))
			.isEqualTo(new Ticket("T-2", "***")));
	}

	@Test
	void failedCompletableFutureToolSendsFailureTelemetryAndKeepsTheException() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			CompletableFuture<String> result = tools.explodeAsync("s-1");
			assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).cause().isSameAs(tools.asyncFailure());
		});
		JsonNode failure = onlyBody(POST);
		assertThat(failure.at("/event_name").stringValue()).isEqualTo("PostToolUseFailure");
		assertThat(failure.at("/payload/error").stringValue()).contains("queue on fire");
	}

	@Test
	void monoToolIsEnforcedOnSubscription() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			Mono<Ticket> result = tools.lookupMono("T-3", "s-1");
			assertThat(requestCount()).isZero();
			assertThat(result.block()).isEqualTo(new Ticket("T-3", "open"));
		});
		assertThat(onlyBody(PRE).at("/payload/tool_input/ticketId").stringValue()).isEqualTo("T-3");
		assertThat(onlyBody(POST).at("/payload/tool_response/id").stringValue()).isEqualTo("T-3");
	}

	@Test
	void rewrittenArgumentsReachAMonoToolAndItsMaskedOutputUsesTheMonoTypeArgument() {
		preAnswers("{\"permission\":\"allow\",\"modified_args\":{\"ticketId\":\"T-safe\"}}");
		postAnswers("{\"blocked\":false,\"modified_output\":\"{\\\"id\\\":\\\"T-safe\\\",\\\"status\\\":\\\"***\\\"}\"}");
		runner().run((context) -> {
			Mono<Ticket> result = context.getBean(TicketTools.class).lookupMono("T-3", "s-1");
			assertThat(result.block()).isEqualTo(new Ticket("T-safe", "***"));
		});
		assertThat(onlyBody(POST).at("/payload/tool_response/id").stringValue()).isEqualTo("T-safe");
	}

	@Test
	void deniedMonoToolSignalsTheErrorAndNeverRuns() {
		preAnswers("{\"permission\":\"deny\",\"block_reason\":\"no\"}");
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.lookupMono("T-3", "s-1").block())
				.isInstanceOf(RunlayerBlockedException.class);
			assertThat(tools.calls()).isEqualTo(0);
		});
	}

	@Test
	void blockedOutputOfAMonoToolSignalsTheError() {
		preAnswers("{\"permission\":\"allow\"}");
		postAnswers("{\"blocked\":true,\"block_reason\":\"pii\"}");
		runner().run((context) -> assertThatThrownBy(
				() -> context.getBean(TicketTools.class).lookupMono("T-3", "s-1").block())
			.isInstanceOfSatisfying(RunlayerBlockedException.class,
					(ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL)));
	}

	@Test
	void failedMonoToolSendsFailureTelemetryAndKeepsTheException() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.explodeMono("s-1").block()).isSameAs(tools.asyncFailure());
		});
		assertThat(onlyBody(POST).at("/event_name").stringValue()).isEqualTo("PostToolUseFailure");
	}

	@Test
	void cancelledMonoToolSendsFailureTelemetryOnce() throws Exception {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			reactor.core.Disposable subscription = tools.hangMono("s-1").subscribe();
			long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
			while (tools.calls() == 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(tools.calls()).isEqualTo(1);
			subscription.dispose();
			while (wm.findAll(postRequestedFor(urlEqualTo(POST))).isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			Thread.sleep(200);
		});
		JsonNode failure = onlyBody(POST);
		assertThat(failure.at("/event_name").stringValue()).isEqualTo("PostToolUseFailure");
		assertThat(failure.at("/payload/error").stringValue()).contains("CancellationException");
	}

	@Test
	void classLevelAnnotationEnforcesPublicMethodsOnly() {
		allowAll();
		runner().run((context) -> {
			ShellTools shell = context.getBean(ShellTools.class);
			assertThat(shell.run("ls", "s-1")).isEqualTo("ran ls");
			JsonNode pre = onlyBody(PRE);
			assertThat(pre.at("/tool_name").stringValue()).isEqualTo("run");
			assertThat(pre.at("/payload/tool_type").stringValue()).isEqualTo("shell");
			wm.resetRequests();
			assertThat(shell.helper("x")).isEqualTo("x");
			assertThat(shell.toString()).isNotNull();
			assertThat(requestCount()).isZero();
			assertThat(shell.status("s-1")).isEqualTo("ok");
			JsonNode status = onlyBody(PRE);
			assertThat(status.at("/tool_name").stringValue()).isEqualTo("shell_status");
			assertThat(status.at("/payload/tool_type").stringValue()).isEqualTo("function");
		});
	}

	@Test
	void perToolOpenFailureModeAllowsWhileTheGlobalModeStaysClosed() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		runner("http://127.0.0.1:" + closedPort).run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.lenient("a", "s-1")).isEqualTo("ran a");
			assertThatThrownBy(() -> tools.strict("b", "s-1")).isInstanceOfSatisfying(
					RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
			assertThat(tools.calls()).isEqualTo(1);
		});
	}

	@Test
	void sessionIdComesFromAToolContextRunlayerEntryThenTheConversationId() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			tools.searchWithContext("q", new ToolContext(Map.of("runlayer_session_id", "s-ctx",
					"chat_memory_conversation_id", "conv-1")));
			assertThat(onlyBody(PRE).at("/payload/session_id").stringValue()).isEqualTo("s-ctx");
			assertThat(onlyBody(PRE).at("/payload/tool_input")).isEqualTo(json.readTree("{\"query\":\"q\"}"));
			wm.resetRequests();
			tools.searchWithContext("q", new ToolContext(Map.of("chat_memory_conversation_id", "conv-1")));
			assertThat(onlyBody(PRE).at("/payload/session_id").stringValue()).isEqualTo("conv-1");
		});
	}

	@Test
	void sessionIdComesFromTheSessionScope() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			RunlayerSession.run("s-scope", () -> tools.search("q"));
			assertThat(onlyBody(PRE).at("/payload/session_id").stringValue()).isEqualTo("s-scope");
			wm.resetRequests();
			RunlayerSession.run("s-scope", () -> tools.lookupTicket("T-1", "s-param"));
			assertThat(onlyBody(PRE).at("/payload/session_id").stringValue()).isEqualTo("s-param");
		});
	}

	@Test
	void asynchronousToolKeepsTheSessionOfItsCaller() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			Mono<Ticket> result = RunlayerSession.call("s-scope", () -> tools.lookupMono("T-1", null));
			result.block();
		});
		assertThat(onlyBody(PRE).at("/payload/session_id").stringValue()).isEqualTo("s-scope");
		assertThat(onlyBody(POST).at("/payload/session_id").stringValue()).isEqualTo("s-scope");
	}

	@Test
	void sessionIdComesFromAResolverBean() {
		allowAll();
		runner().withBean(RunlayerSessionIdResolver.class, () -> (method, args) -> "s-" + method.getName())
			.run((context) -> context.getBean(TicketTools.class).search("q"));
		assertThat(onlyBody(PRE).at("/payload/session_id").stringValue()).isEqualTo("s-search");
	}

	@Test
	void missingSessionIdFailsBeforeAnyHttpCall() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThatThrownBy(() -> tools.search("q")).isExactlyInstanceOf(RunlayerException.class)
				.hasMessageContaining("'search'")
				.hasMessageContaining("@RunlayerSessionId")
				.hasMessageContaining("RunlayerSessionIdResolver");
			assertThat(tools.calls()).isEqualTo(0);
		});
		assertThat(requestCount()).isZero();
	}

	@Test
	void beansAreClassProxiesByDefault() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(AopUtils.isCglibProxy(tools)).isTrue();
			tools.lookupTicket("T-1", "s-1");
		});
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void interfaceProxyIsEnforcedAndReadsTheSessionAnnotationFromTheInterface() {
		allowAll();
		runner().withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(FriendlyGreeter.class)
			.run((context) -> {
				Greeter greeter = context.getBean(Greeter.class);
				assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
				assertThat(greeter.greet("ada", "s-jdk")).isEqualTo("hello ada");
			});
		JsonNode pre = onlyBody(PRE);
		assertThat(pre.at("/tool_name").stringValue()).isEqualTo("greet");
		assertThat(pre.at("/payload/session_id").stringValue()).isEqualTo("s-jdk");
		assertThat(pre.at("/payload/tool_input")).isEqualTo(json.readTree("{\"name\":\"ada\"}"));
	}

	@Test
	void enforcedWithoutTheAspectJWeaver() {
		allowAll();
		runner().withClassLoader(new FilteredClassLoader("org.aspectj"))
			.run((context) -> context.getBean(TicketTools.class).lookupTicket("T-1", "s-1"));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void enforcedWithoutSpringBootAopAutoConfiguration() {
		allowAll();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class))
			.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_test_key",
					"runlayer.allow-insecure-transport=true")
			.withBean(TicketTools.class)
			.run((context) -> context.getBean(TicketTools.class).lookupTicket("T-1", "s-1"));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void toolsTheFiltersSkipRunWithoutHttp() {
		allowAll();
		runner().withPropertyValues("runlayer.tool-enforcement.ignored-tool-names=lookup_ticket").run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(tools.lookupTicket("T-1", null)).isEqualTo(new Ticket("T-1", "open"));
			assertThat(tools.runlayerSelfTool(null)).isEqualTo("self");
		});
		assertThat(requestCount()).isZero();
	}

	@Test
	void callAlreadyEnforcedByAnOuterAdapterIsNotEnforcedAgain() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			Object key = ToolCallIdentityResolver.invocationKey(
					TicketTools.class.getMethod("lookupTicket", String.class, String.class), tools);
			assertThat(EnforcementGuard.runEnforced(key, () -> tools.lookupTicket("T-1", "s-1")))
				.isEqualTo(new Ticket("T-1", "open"));
			assertThat(requestCount()).isZero();
			tools.lookupTicket("T-1", "s-1");
		});
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void outerScopeOfAnotherInvocationDoesNotSkipEnforcement() {
		allowAll();
		runner().run((context) -> {
			TicketTools tools = context.getBean(TicketTools.class);
			// a scope opened for another method, or for this method on another object, is not this call's
			Object other = ToolCallIdentityResolver.invocationKey(TicketTools.class.getMethod("notATool", String.class),
					tools);
			Object elsewhere = ToolCallIdentityResolver.invocationKey(
					TicketTools.class.getMethod("lookupTicket", String.class, String.class), new TicketTools());
			EnforcementGuard.runEnforced(other, () -> tools.lookupTicket("T-1", "s-1"));
			EnforcementGuard.runEnforced(elsewhere, () -> tools.lookupTicket("T-1", "s-1"));
			// only the first matching call is skipped; the second in the same scope is enforced
			Object key = ToolCallIdentityResolver.invocationKey(
					TicketTools.class.getMethod("lookupTicket", String.class, String.class), tools);
			EnforcementGuard.runEnforced(key, () -> {
				tools.lookupTicket("T-1", "s-1");
				return tools.lookupTicket("T-2", "s-1");
			});
		});
		wm.verify(3, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void methodsWithoutTheAnnotationAreNotEnforced() {
		allowAll();
		runner().run((context) -> assertThat(context.getBean(TicketTools.class).notATool("x")).isEqualTo("x"));
		assertThat(requestCount()).isZero();
	}

	@Test
	void disabledRunlayerLeavesToolsUnproxiedAndSendsNothing() {
		allowAll();
		runner().withPropertyValues("runlayer.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RunlayerToolAdvisor.class);
			TicketTools tools = context.getBean(TicketTools.class);
			assertThat(AopUtils.isAopProxy(tools)).isFalse();
			assertThat(tools.lookupTicket("T-1", null)).isEqualTo(new Ticket("T-1", "open"));
			assertThat(tools.calls()).isEqualTo(1);
		});
		assertThat(requestCount()).isZero();
	}

}
