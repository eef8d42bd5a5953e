package com.runlayer.spring.boot.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.runlayer.sdk.RunlayerClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/configprops} and {@code /actuator/env} never show a Runlayer secret, even with
 * {@code show-values=always} (where Boot itself sanitizes nothing by default).
 */
class ActuatorRedactionTests {

	static final String API_KEY = "rl_sk_live_4f9c2e7a1b8d6053aa";

	static final String CLIENT_SECRET = "agent-secret-9d1e4b7c2a55f0";

	static final String SUBJECT_TOKEN = "subject-token-5e2b9f71c3";

	static final List<String> SECRETS = List.of(API_KEY, CLIENT_SECRET, SUBJECT_TOKEN);

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.ai.mcp.client.common.autoconfigure.McpClientAutoConfiguration")
	static class App {

		// The secrets are bound to RunlayerProperties; the client is the test's own (an API key and agent
		// credentials together would not build), so that every secret property is present at once.
		@Bean
		RunlayerClient runlayerClient() {
			return RunlayerClient.builder()
				.baseUrl("https://runlayer.example.com")
				.apiKey(API_KEY)
				.build();
		}

	}

	static String get(Environment environment, String path) throws Exception {
		String port = environment.getProperty("local.server.port");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	static void assertNoSecret(String body, String path) {
		for (String secret : SECRETS) {
			assertThat(body).as(path + " shows a secret").doesNotContain(secret);
		}
	}

	@Nested
	@SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=configprops,env",
					"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
					"runlayer.base-url=https://runlayer.example.com", "runlayer.api-key=" + API_KEY,
					"runlayer.agent.client-id=agent-client-id-public", "runlayer.agent.client-secret=" + CLIENT_SECRET,
					"runlayer.agent.subject-token=" + SUBJECT_TOKEN,
					"runlayer.agent.subject-token-type=urn:runlayer:token-type:user-id",
					"RUNLAYER_API_KEY=" + API_KEY, "RUNLAYER_AGENT_CLIENT_SECRET=" + CLIENT_SECRET,
					"RUNLAYER_AGENT_SUBJECT_TOKEN=" + SUBJECT_TOKEN })
	class ShowValuesAlways {

		@Autowired
		Environment environment;

		@Test
		void configpropsNeverShowsASecret() throws Exception {
			String body = get(this.environment, "/actuator/configprops");
			assertThat(body).contains("runlayer").contains("agent-client-id-public");
			assertNoSecret(body, "/actuator/configprops");
		}

		@Test
		void envNeverShowsASecret() throws Exception {
			String body = get(this.environment, "/actuator/env");
			assertThat(body).contains("runlayer.base-url").contains("https://runlayer.example.com");
			assertNoSecret(body, "/actuator/env");
		}

		@Test
		void envOfOneSecretPropertyIsRedacted() throws Exception {
			for (String name : List.of("runlayer.api-key", "runlayer.agent.client-secret", "runlayer.agent.subject-token",
					"RUNLAYER_API_KEY", "RUNLAYER_AGENT_CLIENT_SECRET", "RUNLAYER_AGENT_SUBJECT_TOKEN")) {
				String body = get(this.environment, "/actuator/env/" + name);
				assertNoSecret(body, "/actuator/env/" + name);
			}
		}

	}

	@Nested
	@SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=configprops,env",
					"runlayer.base-url=https://runlayer.example.com", "runlayer.api-key=" + API_KEY,
					"runlayer.agent.client-secret=" + CLIENT_SECRET, "runlayer.agent.subject-token=" + SUBJECT_TOKEN })
	class DefaultShowValues {

		@Autowired
		Environment environment;

		@Test
		void neitherEndpointShowsASecret() throws Exception {
			assertNoSecret(get(this.environment, "/actuator/configprops"), "/actuator/configprops");
			assertNoSecret(get(this.environment, "/actuator/env"), "/actuator/env");
		}

	}

}
