package com.runlayer.spring.boot.security;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.spring.actuate.RunlayerEndpoint;
import com.runlayer.spring.actuate.RunlayerTokenCacheMetrics;
import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runlayer.agent-subject.source=security-context}: the current Spring Security user is the subject of each
 * call, for synchronous, {@code CompletionStage} and {@code Mono} tools (captured where the call starts), with the
 * principal name typed as configured; no Spring Security, a clear startup error; the actuator and metrics show the
 * source and cache figures, never a user.
 */
class SecurityContextSubjectTests {

	private static final String TOKEN = "/api/v1/oauth/token";

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@BeforeEach
	void stubs() {
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("client_credentials"))
			.willReturn(okJson("{\"access_token\":\"m2m-token\",\"expires_in\":3600}")));
		subjectGets("alice@example.com", "obo-alice");
		subjectGets("bob", "obo-bob");
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
	}

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	private static void subjectGets(String subjectToken, String oboToken) {
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo(EXCHANGE))
			.withFormParam("subject_token", equalTo(subjectToken))
			.willReturn(okJson("{\"access_token\":\"" + oboToken + "\",\"expires_in\":3600}")));
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
					RunlayerSecurityAutoConfiguration.class, RunlayerAutoConfiguration.class,
					RunlayerAopAutoConfiguration.class))
			.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.allow-insecure-transport=true",
					"runlayer.agent.client-id=client_agent_1", "runlayer.agent.client-secret=s3cr3t-agent-secret",
					"runlayer.agent-subject.source=security-context")
			.withBean(LedgerTools.class);
	}

	private static void signIn(String name) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name, "n/a",
					AuthorityUtils.createAuthorityList("ROLE_USER")));
	}

	@Test
	void theSignedInUserIsTheSubjectOfSynchronousToolCalls() {
		runner().run((context) -> {
			assertThat(context.getBean(RunlayerClient.class).subjectSource()).isEqualTo("security-context");
			signIn("alice@example.com");
			context.getBean(LedgerTools.class).exportLedger("s-alice");
			signIn("bob");
			context.getBean(LedgerTools.class).exportLedger("s-bob");
		});
		// an e-mail address as user-email, another name as user-id
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("subject_token", equalTo("alice@example.com"))
			.withFormParam("subject_token_type", equalTo(RunlayerSubject.USER_EMAIL)));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("subject_token", equalTo("bob"))
			.withFormParam("subject_token_type", equalTo(RunlayerSubject.USER_ID)));
		for (String path : List.of(PRE, POST)) {
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer obo-alice")));
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer obo-bob")));
		}
	}

	@Test
	void principalNamesCanAlwaysBeSentAsUserIds() {
		runner().withPropertyValues("runlayer.agent-subject.principal-name-type=user-id").run((context) -> {
			subjectGets("alice@example.com", "obo-alice-id");
			signIn("alice@example.com");
			context.getBean(LedgerTools.class).exportLedger("s-alice");
		});
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("subject_token", equalTo("alice@example.com"))
			.withFormParam("subject_token_type", equalTo(RunlayerSubject.USER_ID)));
	}

	@Test
	void anonymousOrNoAuthenticationLeavesTheAgentActingAsItself() {
		runner().run((context) -> {
			context.getBean(LedgerTools.class).exportLedger("s-nobody");
			SecurityContextHolder.getContext()
				.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
						AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
			context.getBean(LedgerTools.class).exportLedger("s-anonymous");
		});
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("grant_type", equalTo(EXCHANGE)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer m2m-token")));
	}

	@Test
	void aResourceServerBearerTokenIsSentAsAnAccessTokenSubject() {
		String tokenValue = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
		subjectGets(tokenValue, "obo-alice-bearer");
		runner().run((context) -> {
			Jwt jwt = Jwt.withTokenValue(tokenValue).header("alg", "RS256").subject("alice").build();
			SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
			context.getBean(LedgerTools.class).exportLedger("s-jwt");
		});
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("subject_token", equalTo(tokenValue))
			.withFormParam("subject_token_type", equalTo(RunlayerSubject.ACCESS_TOKEN)));
		wm.verify(exactly(1),
				postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-alice-bearer")));
	}

	@Test
	void asyncAndReactorToolsKeepTheSubjectOfTheCaller() {
		runner().run((context) -> {
			LedgerTools tools = context.getBean(LedgerTools.class);
			signIn("alice@example.com");
			CompletableFuture<String> async = tools.exportAsync("s-async");
			Mono<String> mono = tools.exportMono("s-mono");
			// the caller moves on to another user before the tools complete or are subscribed to
			signIn("bob");
			assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo("exported");
			assertThat(mono.subscribeOn(Schedulers.parallel()).block()).isEqualTo("exported");
		});
		for (String path : List.of(PRE, POST)) {
			wm.verify(exactly(2), postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer obo-alice")));
			wm.verify(exactly(0), postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer obo-bob")));
		}
	}

	@Test
	void yourOwnResolverBeanWins() {
		subjectGets("u-42", "obo-u42");
		runner().withBean(com.runlayer.sdk.auth.RunlayerSubjectResolver.class,
				() -> (sessionId) -> java.util.Optional.of(RunlayerSubject.userId("u-42")))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SecurityContextSubjectResolver.class);
				signIn("alice@example.com");
				context.getBean(LedgerTools.class).exportLedger("s-own");
			});
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-u42")));
	}

	@Test
	void securityContextWithoutSpringSecurityFailsAtStartupNamingTheProperty() {
		runner().withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(RunlayerConfigurationException.class)
				.hasMessageContaining("runlayer.agent-subject.source=security-context");
		});
	}

	@Test
	void theActuatorAndTheMetricsShowTheSourceAndTheCacheFiguresButNoUser() {
		runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			RunlayerClient client = context.getBean(RunlayerClient.class);
			signIn("alice@example.com");
			context.getBean(LedgerTools.class).exportLedger("s-1");
			context.getBean(LedgerTools.class).exportLedger("s-2");
			@SuppressWarnings("unchecked")
			RunlayerEndpoint endpoint = new RunlayerEndpoint(client, context.getBeanProvider(
					com.runlayer.spring.boot.RunlayerToolRegistry.class));
			RunlayerEndpoint.RunlayerDescriptor descriptor = endpoint.describe();
			assertThat(descriptor.agentSubject().source()).isEqualTo("security-context");
			assertThat(descriptor.agentSubject().tokenCache().size()).isEqualTo(1);
			assertThat(descriptor.agentSubject().tokenCache().maxSize()).isEqualTo(10000);
			assertThat(descriptor.agentSubject().tokenCache().idleExpiry()).isEqualTo("PT30M");
			assertThat(descriptor.agentSubject().tokenCache().misses()).isEqualTo(1);
			assertThat(descriptor.agentSubject().tokenCache().hits()).isEqualTo(3);
			String json = JsonMapper.builder().build().writeValueAsString(descriptor);
			assertThat(json).doesNotContain("alice", "obo-", "m2m-token");
			MeterRegistry registry = new SimpleMeterRegistry();
			new RunlayerTokenCacheMetrics(client).bindTo(registry);
			assertThat(registry.get(RunlayerTokenCacheMetrics.HITS).functionCounter().count()).isEqualTo(3);
			assertThat(registry.get(RunlayerTokenCacheMetrics.MISSES).functionCounter().count()).isEqualTo(1);
			assertThat(registry.get(RunlayerTokenCacheMetrics.EVICTIONS).functionCounter().count()).isZero();
			assertThat(registry.get(RunlayerTokenCacheMetrics.SIZE).gauge().value()).isEqualTo(1);
			assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags()).isEmpty());
		});
	}

	/** Tools of a multi-user service. */
	public static class LedgerTools {

		@RunlayerTool(name = "export_ledger")
		public String exportLedger(@RunlayerSessionId String session) {
			return "exported";
		}

		@RunlayerTool(name = "export_ledger_async")
		public CompletableFuture<String> exportAsync(@RunlayerSessionId String session) {
			return CompletableFuture.supplyAsync(() -> "exported", CompletableFuture.delayedExecutor(100,
					TimeUnit.MILLISECONDS));
		}

		@RunlayerTool(name = "export_ledger_reactive")
		public Mono<String> exportMono(@RunlayerSessionId String session) {
			return Mono.fromSupplier(() -> "exported");
		}

	}

}
