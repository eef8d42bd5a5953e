package com.runlayer.sdk.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The agent token fetch under the call's budget (one request in flight, its outcome shared by every waiter of that
 * attempt) and token lifetimes out of range (clamped, cached, not re-requested).
 *
 * <p>Wall-clock bounds are measured from the moment the calls start, with {@link #HEADROOM} for a loaded 2-core CI
 * machine; the failures they guard against took tens of seconds.
 */
class TokenBudgetAndLifetimeTests {

	private static final String TOKEN = "/api/v1/oauth/token";

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final Duration HEADROOM = Duration.ofMillis(1500);

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(80))
		.build();

	private RunlayerClient client(Duration timeout) {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId("client_agent_1")
			.agentClientSecret("s3cr3t-agent-secret-value")
			.timeout(timeout)
			.build();
	}

	private static ToolCall call() {
		return ToolCall.builder().sessionId("s1").toolName("Bash").toolType("shell").toolInput(Map.of("command", "ls"))
			.build();
	}

	private static void stubAllowingHooks() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
	}

	// ---------------------------------------------------------------------------------------------------------
	// Budget

	@Test
	void fiftyConcurrentCallsWithAHangingTokenEndpointAllEndWithinTheirBudget() throws Exception {
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"late\",\"expires_in\":3600}")
			.withFixedDelay(60_000)));
		stubAllowingHooks();
		Duration timeout = Duration.ofSeconds(3);
		AtomicInteger ran = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(50);
		try (RunlayerClient client = client(timeout)) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Long>> results = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				results.add(pool.submit(() -> {
					start.await();
					long begin = System.nanoTime();
					try {
						client.runTool(call(), (input) -> ran.incrementAndGet());
					}
					catch (RunlayerBlockedException ex) {
						assertThat(ex.outage()).isTrue();
					}
					return System.nanoTime() - begin;
				}));
			}
			start.countDown();
			long bound = timeout.plus(HEADROOM).toNanos();
			for (Future<Long> result : results) {
				// the old code queued the threads behind each other's full-length token request (about 150 s)
				assertThat(result.get(20, TimeUnit.SECONDS)).isLessThan(bound);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ran).hasValue(0);
		// one attempt, shared by all the waiters (a second one only if a thread was scheduled after the first failed)
		assertThat(wm.countRequestsMatching(postRequestedFor(urlEqualTo(TOKEN)).build()).getCount()).isBetween(1, 2);
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void theTokenRequestAndTheHookRequestShareOneBudget() {
		// each alone fits in the 3 s timeout, together they do not: the call must end as an outage near 3 s
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"tok-1\",\"expires_in\":3600}")
			.withFixedDelay(2000)));
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}").withFixedDelay(2000)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		AtomicInteger ran = new AtomicInteger();
		Duration timeout = Duration.ofSeconds(3);
		try (RunlayerClient client = client(timeout)) {
			long begin = System.nanoTime();
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(call(), (input) -> ran.incrementAndGet()))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());
			assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(timeout.plus(HEADROOM));
		}
		assertThat(ran).hasValue(0);
	}

	@Test
	void aFailedTokenAttemptIsSharedByItsWaitersInsteadOfRepeatedByEach() throws Exception {
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_client\"}")
			.withFixedDelay(1000)));
		stubAllowingHooks();
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try (RunlayerClient client = client(Duration.ofSeconds(5))) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> results = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				results.add(pool.submit(() -> {
					start.await();
					try {
						client.runTool(call(), (input) -> "ran");
						return "ran";
					}
					catch (RunlayerBlockedException ex) {
						return ex.getMessage();
					}
				}));
			}
			start.countDown();
			for (Future<String> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS)).contains("client_credentials", "HTTP 400");
			}
		}
		finally {
			pool.shutdownNow();
		}
		// the old code had every waiter repeat the request after the previous one failed (20 requests, 20 s); a second
		// attempt only if a thread was scheduled after the first one failed
		assertThat(wm.countRequestsMatching(postRequestedFor(urlEqualTo(TOKEN)).build()).getCount()).isBetween(1, 2);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Lifetimes out of range

	@ParameterizedTest(name = "expires_in {0}")
	@ValueSource(strings = { "9223372036854775807", "1e300", "\"9223372036854775807\"", "1.0E308",
			"99999999999999999999999999" })
	void anExpiresInPastAnyInstantIsClampedAndTheTokenIsReused(String expiresIn) {
		wm.stubFor(post(TOKEN)
			.willReturn(okJson("{\"access_token\":\"tok-long\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
					+ "}")));
		stubAllowingHooks();
		try (RunlayerClient client = client(Duration.ofSeconds(5))) {
			assertThat(client.runTool(call(), (input) -> "one")).isEqualTo("one");
			assertThat(client.runTool(call(), (input) -> "two")).isEqualTo("two");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer tok-long")));
	}

	@ParameterizedTest(name = "exp {0}")
	@ValueSource(strings = { "99999999999999999", "9223372036854775807", "1e300" })
	void aJwtExpiryPastTheLargestInstantIsClampedAndTheTokenIsReused(String exp) {
		String jwt = jwt("{\"exp\":" + exp + "}");
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\"}")));
		stubAllowingHooks();
		try (RunlayerClient client = client(Duration.ofSeconds(5))) {
			assertThat(client.runTool(call(), (input) -> "one")).isEqualTo("one");
			assertThat(client.runTool(call(), (input) -> "two")).isEqualTo("two");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer " + jwt)));
	}

	@Test
	void aClampedTokenIsTrustedForAtMostTheDocumentedMaximumOf24Hours() {
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"tok-long\",\"expires_in\":1e300}")));
		MutableClock clock = new MutableClock();
		try (com.runlayer.sdk.transport.HookTransport transport = new com.runlayer.sdk.transport.HookTransport(
				new com.runlayer.sdk.transport.TransportSettings(wm.baseUrl(), null, 1024 * 1024,
						com.runlayer.sdk.transport.RetryPolicy.DEFAULT, "Runlayer-Java-SDK/test", false, null),
				null)) {
			AgentAccountAuthentication auth = new AgentAccountAuthentication(
					AgentCredentials.of("client_agent_1", "s3cr3t-agent-secret-value", null, null), clock);
			auth.useTransport(transport);
			assertThat(auth.token()).isEqualTo("tok-long");
			// 24 h lifetime, refreshed when less than 10 % (2.4 h) remains
			clock.advance(Duration.ofHours(21));
			assertThat(auth.token()).isEqualTo("tok-long");
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
			clock.advance(Duration.ofHours(1)); // 22 h after the token was minted
			assertThat(auth.token()).isEqualTo("tok-long");
			wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		}
	}

	static String jwt(String claims) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
	}

}
