package com.runlayer.sdk.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.runlayer.sdk.McpSourceCheck;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.auth.AgentAccountAuthentication;
import com.runlayer.sdk.auth.AgentCredentials;
import com.runlayer.sdk.auth.ApiKeyAuthentication;
import com.runlayer.spring.boot.RunlayerProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Secrets never appear in {@code toString()} of public types, in exception messages (also when Runlayer echoes them
 * in an error body) or in logs (the {@link LogCapture} scan at TRACE); header values are free of CR, LF and control
 * characters on the wire; {@code https} is required unless insecure transport is allowed; redirects are not
 * followed.
 */
class SecretsAndHeadersTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String TOKEN = "/api/v1/oauth/token";

	@RegisterExtension
	static final LogCapture logs = new LogCapture();

	@RegisterExtension
	static final WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void toStringOfEveryPublicTypeHoldingASecretShowsNone() {
		wm.stubFor(post(TOKEN).withRequestBody(containing("grant_type=client_credentials"))
			.willReturn(okJson("{\"access_token\":\"" + Secrets.ACCESS_TOKEN + "\",\"expires_in\":3600}")));
		wm.stubFor(post(TOKEN).withRequestBody(containing("token-exchange"))
			.willReturn(okJson("{\"access_token\":\"" + Secrets.OBO_TOKEN + "\",\"expires_in\":3600}")));
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		List<Object> objects = new ArrayList<>();
		RunlayerClient.Builder apiKeyBuilder = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY);
		objects.add(apiKeyBuilder);
		RunlayerClient.Builder agentBuilder = agentBuilder();
		objects.add(agentBuilder);
		RunlayerClient.Builder everything = RunlayerClient.builder()
			.apiKey(Secrets.API_KEY)
			.agentClientSecret(Secrets.CLIENT_SECRET)
			.agentSubjectToken(Secrets.SUBJECT_TOKEN);
		objects.add(everything);
		try (RunlayerClient apiKeyClient = apiKeyBuilder.build(); RunlayerClient agentClient = agentBuilder.build()) {
			ToolCall call = ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("a", 1)).build();
			agentClient.runTool(call, (input) -> "ok");
			wm.verify(postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer " + Secrets.OBO_TOKEN)));
			objects.add(apiKeyClient);
			objects.add(agentClient);
			objects.add(call);
			objects.add(agentClient.beginTool(call));
		}
		AgentCredentials credentials = AgentCredentials.of(Secrets.CLIENT_ID, Secrets.CLIENT_SECRET,
				Secrets.SUBJECT_TOKEN, Secrets.SUBJECT_TOKEN_TYPE);
		objects.add(credentials);
		objects.add(new AgentAccountAuthentication(credentials));
		objects.add(new ApiKeyAuthentication(Secrets.API_KEY));
		objects.add(McpSourceCheck.ofUrl("g1", "s1", "mcp__x__y", "https://mcp.example.com/mcp"));
		RunlayerProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("runlayer.api-key",
				Secrets.API_KEY, "runlayer.agent.client-id", Secrets.CLIENT_ID, "runlayer.agent.client-secret",
				Secrets.CLIENT_SECRET, "runlayer.agent.subject-token", Secrets.SUBJECT_TOKEN)))
			.bindOrCreate("runlayer", Bindable.of(RunlayerProperties.class));
		objects.add(properties);
		objects.add(properties.agent());
		objects.add(properties.ssl());
		for (Object object : objects) {
			assertThat(Secrets.foundIn(String.valueOf(object))).as(object.getClass().getName() + ".toString()")
				.isEmpty();
		}
		assertThat(String.valueOf(properties)).contains("****");
		assertThat(String.valueOf(credentials)).contains(Secrets.CLIENT_ID);
	}

	@Test
	void errorBodiesEchoingTheClientsSecretsNeverReachAnExceptionMessage() {
		// a careless server echoes what it received: for an agent client the client secret, the subject token and
		// the tokens it minted; for an API-key client the key
		String agentEcho = "{\"detail\":\"" + Secrets.CLIENT_SECRET + " " + Secrets.SUBJECT_TOKEN + " "
				+ Secrets.ACCESS_TOKEN + " " + Secrets.OBO_TOKEN + "\"}";
		String keyEcho = "{\"detail\":\"bad key " + Secrets.API_KEY + "\"}";
		wm.stubFor(post(TOKEN).withRequestBody(containing("grant_type=client_credentials"))
			.willReturn(okJson("{\"access_token\":\"" + Secrets.ACCESS_TOKEN + "\",\"expires_in\":3600}")));
		wm.stubFor(post(TOKEN).withRequestBody(containing("token-exchange"))
			.willReturn(okJson("{\"access_token\":\"" + Secrets.OBO_TOKEN + "\",\"expires_in\":3600}")));
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(403).withBody(agentEcho)));
		wm.stubFor(post("/api/v1/hooks/events").willReturn(aResponse().withStatus(422).withBody(agentEcho)));
		List<Throwable> errors = new ArrayList<>();
		try (RunlayerClient agent = agentBuilder().build()) {
			errors.add(catchThrowable(() -> agent.runTool(call(), (input) -> "ok")));
			errors.add(catchThrowable(() -> agent.emitEventStrict("UserPromptSubmit", "s1", Map.of())));
		}
		// the on-behalf-of exchange fails after the actor token was minted: the actor token is echoed too
		wm.stubFor(post(TOKEN).atPriority(1).withRequestBody(containing("token-exchange"))
			.willReturn(aResponse().withStatus(500).withBody(agentEcho.replace(Secrets.OBO_TOKEN, ""))));
		try (RunlayerClient agent = agentBuilder().build()) {
			errors.add(catchThrowable(() -> agent.runTool(call(), (input) -> "ok")));
		}
		wm.stubFor(post(TOKEN).atPriority(1).willReturn(aResponse().withStatus(401).withBody(agentEcho)));
		try (RunlayerClient agent = agentBuilder().build()) {
			errors.add(catchThrowable(() -> agent.runTool(call(), (input) -> "ok")));
		}
		wm.stubFor(post(PRE).atPriority(1).willReturn(aResponse().withStatus(401).withBody(keyEcho)));
		wm.stubFor(post("/api/v1/hooks/cursor").willReturn(aResponse().withStatus(500).withBody(keyEcho)));
		wm.stubFor(post("/api/v1/hooks/events").atPriority(1).willReturn(aResponse().withStatus(400).withBody(keyEcho)));
		try (RunlayerClient apiKey = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY)
			.directMcpSourceEnforcementPath("/api/v1/hooks/cursor")
			.debug(true)
			.build()) {
			errors.add(catchThrowable(() -> apiKey.runTool(call(), (input) -> "ok")));
			errors.add(catchThrowable(() -> apiKey.enforceMcpSource(
					McpSourceCheck.ofUrl("g1", "s1", "mcp__x__y", "https://mcp.example.com/mcp"))));
			errors.add(catchThrowable(() -> apiKey.emitEventStrict("UserPromptSubmit", "s1", Map.of())));
			errors.add(catchThrowable(() -> apiKey.sendPreflight("hi")));
			apiKey.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "hi"));
		}
		errors.add(catchThrowable(() -> RunlayerClient.builder()
			.baseUrl("https://user:" + Secrets.API_KEY + "@runlayer.example.com")
			.apiKey(Secrets.API_KEY)
			.build()));
		errors.add(catchThrowable(() -> RunlayerClient.builder()
			.baseUrl("https://runlayer.example.com")
			.apiKey(Secrets.API_KEY)
			.agentClientId(Secrets.CLIENT_ID)
			.agentClientSecret(Secrets.CLIENT_SECRET)
			.build()));
		errors.add(catchThrowable(() -> RunlayerClient.builder()
			.baseUrl("https://runlayer.example.com")
			.agentClientId(Secrets.CLIENT_ID)
			.agentClientSecret(Secrets.CLIENT_SECRET)
			.agentSubjectToken(Secrets.SUBJECT_TOKEN)
			.agentSubjectTokenType(Secrets.SUBJECT_TOKEN)
			.build()));
		assertThat(errors).allSatisfy((error) -> {
			assertThat(error).isInstanceOf(RunlayerException.class);
			assertThat(Secrets.foundIn(error)).as(String.valueOf(error)).isEmpty();
		});
	}

	@Test
	void controlCharactersNeverReachAHeader() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY)
			.clientVersion("agent/2.0\r\nX-Injected: yes\u0000\u0007\u001b[31m\u0085")
			.client("python-sdk\r\nX-Injected-Client: yes")
			.build()) {
			client.runTool(call(), (input) -> "ok");
			assertThat(client.userAgent()).doesNotContainPattern("\\p{Cntrl}");
		}
		List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo(PRE)));
		assertThat(requests).hasSize(1);
		LoggedRequest request = requests.get(0);
		String userAgent = request.getHeader("User-Agent");
		assertThat(userAgent).startsWith("Runlayer-Java-SDK/").endsWith(" agent/2.0X-Injected: yes[31m");
		assertThat(userAgent).doesNotContainPattern("[\\p{Cntrl}\\u0085]");
		assertThat(request.containsHeader("X-Injected")).isFalse();
		assertThat(request.containsHeader("X-Injected-Client")).isFalse();
		request.getHeaders().all().forEach((header) -> header.values()
			.forEach((value) -> assertThat(value).as(header.key()).doesNotContainPattern("[\\r\\n\\u0000]")));
	}

	@Test
	void aTokenWithALineBreakIsAnOutageNeverAnInjectedHeader() {
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"" + Secrets.ACCESS_TOKEN
				+ "\\r\\nX-Injected: yes\",\"expires_in\":3600}")));
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient agent = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId(Secrets.CLIENT_ID)
			.agentClientSecret(Secrets.CLIENT_SECRET)
			.build()) {
			Throwable error = catchThrowable(() -> agent.runTool(call(), (input) -> runs.incrementAndGet()));
			assertThat(error).isInstanceOfSatisfying(RunlayerBlockedException.class,
					(blocked) -> assertThat(blocked.outage()).isTrue());
			assertThat(Secrets.foundIn(error)).isEmpty();
		}
		assertThat(runs).hasValue(0);
		wm.verify(0, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void anApiKeyWithALineBreakNeverReachesTheWireAndIsNotQuoted() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		AtomicInteger runs = new AtomicInteger();
		Throwable error = catchThrowable(() -> {
			try (RunlayerClient client = RunlayerClient.builder()
				.baseUrl(wm.baseUrl())
				.allowInsecureTransport(true)
				.apiKey(Secrets.API_KEY + "\r\nX-Injected: yes")
				.build()) {
				client.runTool(call(), (input) -> runs.incrementAndGet());
			}
		});
		assertThat(error).isInstanceOf(RunlayerException.class);
		assertThat(Secrets.foundIn(error)).isEmpty();
		assertThat(runs).hasValue(0);
		wm.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void httpIsRefusedUnlessInsecureTransportIsAllowed() {
		for (String url : List.of("http://runlayer.example.com", "HTTP://runlayer.example.com", "ftp://runlayer.example.com",
				"runlayer.example.com", "https:///no-host")) {
			assertThatThrownBy(() -> RunlayerClient.builder().baseUrl(url).apiKey(Secrets.API_KEY).build())
				.as(url)
				.isInstanceOf(RunlayerConfigurationException.class);
		}
		assertThatThrownBy(() -> RunlayerClient.fromEnvironment(
				Map.of("RUNLAYER_BASE_URL", "http://runlayer.example.com", "RUNLAYER_API_KEY", Secrets.API_KEY), (b) -> {
				}))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("https");
		try (RunlayerClient client = RunlayerClient.fromEnvironment(Map.of("RUNLAYER_BASE_URL",
				"http://localhost:1", "RUNLAYER_API_KEY", Secrets.API_KEY, "RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1"),
				(b) -> {
				})) {
			assertThat(client.baseUrl()).isEqualTo("http://localhost:1");
		}
	}

	@Test
	void aRedirectIsNotFollowedAndBlocks() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(307).withHeader("Location", wm.baseUrl() + "/elsewhere")));
		wm.stubFor(post("/elsewhere").willReturn(okJson("{\"permission\":\"allow\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY)
			.build()) {
			assertThatThrownBy(() -> client.runTool(call(), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
		assertThat(runs).hasValue(0);
		wm.verify(0, postRequestedFor(urlEqualTo("/elsewhere")));
	}

	private static RunlayerClient.Builder agentBuilder() {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.timeout(Duration.ofSeconds(3))
			.agentClientId(Secrets.CLIENT_ID)
			.agentClientSecret(Secrets.CLIENT_SECRET)
			.agentSubjectToken(Secrets.SUBJECT_TOKEN)
			.agentSubjectTokenType(Secrets.SUBJECT_TOKEN_TYPE);
	}

	private static ToolCall call() {
		return ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("command", "ls")).build();
	}

}
