package com.runlayer.spring.boot.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resource server with a real JWT decoder (RSA key generated for the test): two users call a tool endpoint at the
 * same time with their own signed bearer tokens; each user's token is exchanged once as an access-token subject and
 * every hook request of that user's calls carries that user's on-behalf-of token.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "runlayer.agent.client-id=client_agent_1", "runlayer.agent.client-secret=s3cr3t-agent-secret",
				"runlayer.allow-insecure-transport=true", "runlayer.agent-subject.source=security-context",
				"spring.ai.mcp.server.enabled=false", "spring.ai.mcp.client.enabled=false" })
class ResourceServerSubjectTests {

	private static final String TOKEN = "/api/v1/oauth/token";

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final KeyPair KEYS = rsaKeys();

	private static final Map<String, String> JWTS = Map.of("alice", jwt("alice"), "bob", jwt("bob"));

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@DynamicPropertySource
	static void runlayer(DynamicPropertyRegistry registry) {
		registry.add("runlayer.base-url", wm::baseUrl);
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void stubs() {
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("client_credentials"))
			.willReturn(okJson("{\"access_token\":\"m2m-token\",\"expires_in\":3600}")));
		JWTS.forEach((user, jwt) -> wm.stubFor(post(TOKEN)
			.withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:token-exchange"))
			.withFormParam("subject_token", equalTo(jwt))
			.willReturn(okJson("{\"access_token\":\"obo-" + user + "\",\"expires_in\":3600}").withFixedDelay(100))));
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
	}

	@Test
	void twoUsersConcurrentRequestsActForTheirOwnUser() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String user = (i % 2 == 0) ? "alice" : "bob";
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/ledger?session=" + user + "-" + i))
				.header("Authorization", "Bearer " + JWTS.get(user))
				.build();
			answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
		}
		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			assertThat(answer.get().statusCode()).isEqualTo(200);
			assertThat(answer.get().body()).isEqualTo("exported");
		}
		HttpResponse<String> anonymous = http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/ledger?session=x")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		JWTS.forEach((user, jwt) -> wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN))
			.withFormParam("subject_token", equalTo(jwt))
			.withFormParam("subject_token_type", equalTo(RunlayerSubject.ACCESS_TOKEN))
			.withFormParam("actor_token", equalTo("m2m-token"))));
		JsonMapper json = JsonMapper.builder().build();
		int checked = 0;
		for (String path : List.of(PRE, POST)) {
			for (LoggedRequest request : wm.findAll(postRequestedFor(urlEqualTo(path)))) {
				JsonNode body = json.readTree(request.getBodyAsString());
				String session = body.path("payload").path("session_id").asString();
				String user = session.substring(0, session.indexOf('-'));
				assertThat(request.getHeader("Authorization")).as(path + " " + session).isEqualTo("Bearer obo-" + user);
				checked++;
			}
		}
		assertThat(checked).isEqualTo(40);
	}

	private static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String jwt(String subject) {
		try {
			JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
				.issueTime(new Date())
				.expirationTime(Date.from(Instant.now().plusSeconds(600)))
				.build();
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
			jwt.sign(new RSASSASigner((RSAPrivateKey) KEYS.getPrivate()));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebSecurity
	static class ResourceServerApp {

		@Bean
		SecurityFilterChain api(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
				.csrf((csrf) -> csrf.disable())
				.build();
		}

		@Bean
		JwtDecoder jwtDecoder() {
			return NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
		}

		@Bean
		LedgerTools ledgerTools() {
			return new LedgerTools();
		}

		@Bean
		LedgerController ledgerController(LedgerTools tools) {
			return new LedgerController(tools);
		}

	}

	static class LedgerTools {

		@RunlayerTool(name = "export_ledger")
		public String exportLedger(@RunlayerSessionId String session) {
			return "exported";
		}

	}

	@RestController
	static class LedgerController {

		private final LedgerTools tools;

		LedgerController(LedgerTools tools) {
			this.tools = tools;
		}

		@GetMapping("/ledger")
		String ledger(@RequestParam String session) {
			return this.tools.exportLedger(session);
		}

	}

}
