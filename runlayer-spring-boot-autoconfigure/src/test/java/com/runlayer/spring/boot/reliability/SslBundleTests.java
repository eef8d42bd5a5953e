package com.runlayer.spring.boot.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLHandshakeException;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * TLS: a self-hosted Runlayer with a private CA (a self-signed WireMock https server, keystore generated with
 * {@code keytool}) is rejected by default, accepted through a Spring Boot SSL bundle named by
 * {@code runlayer.ssl.bundle}, and still rejected under a host name its certificate does not name.
 */
class SslBundleTests {

	private static final String PASSWORD = "changeit";

	@TempDir
	static Path dir;

	static Path truststore;

	static WireMockServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RunlayerAutoConfiguration.class));

	@BeforeAll
	static void startHttpsServer() throws Exception {
		Path keystore = dir.resolve("server.p12");
		Path certificate = dir.resolve("server.crt");
		truststore = dir.resolve("trust.p12");
		keytool(keystore, "-genkeypair", "-alias", "runlayer", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
				keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool(certificate, "-exportcert", "-alias", "runlayer", "-keystore", keystore.toString(), "-storepass", PASSWORD,
				"-rfc", "-file", certificate.toString());
		keytool(truststore, "-importcert", "-noprompt", "-alias", "runlayer-ca", "-file", certificate.toString(), "-storetype",
				"PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
		server = new WireMockServer(wireMockConfig().dynamicPort()
			.dynamicHttpsPort()
			.keystorePath(keystore.toString())
			.keystoreType("PKCS12")
			.keystorePassword(PASSWORD)
			.keyManagerPassword(PASSWORD));
		server.start();
		server.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		server.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
	}

	@AfterAll
	static void stopHttpsServer() {
		if (server != null) {
			server.stop();
		}
	}

	/** Runs keytool and checks that it wrote the file it was asked to produce. */
	private static void keytool(Path produces, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("keytool " + args[0] + ": " + output).isZero();
		assertThat(produces).as("keytool " + args[0] + " output").isRegularFile();
		assertThat(Files.size(produces)).as("keytool " + args[0] + " output size").isPositive();
	}

	private String httpsUrl(String host) {
		return "https://" + host + ":" + server.httpsPort();
	}

	private String[] properties(String host, boolean bundle) {
		List<String> properties = new ArrayList<>(List.of("runlayer.base-url=" + httpsUrl(host),
				"runlayer.api-key=rl_sk_live_4f9c2e7a1b8d6053aa", "runlayer.timeout=10s", "runlayer.max-retries=0",
				"spring.ssl.bundle.jks.runlayer-ca.truststore.location=file:" + truststore,
				"spring.ssl.bundle.jks.runlayer-ca.truststore.password=" + PASSWORD,
				"spring.ssl.bundle.jks.runlayer-ca.truststore.type=PKCS12"));
		if (bundle) {
			properties.add("runlayer.ssl.bundle=runlayer-ca");
		}
		return properties.toArray(String[]::new);
	}

	private static Throwable runTool(RunlayerClient client, AtomicInteger runs) {
		return catchThrowable(() -> client.runTool(
				ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("command", "ls")).build(),
				(input) -> runs.incrementAndGet()));
	}

	private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
		for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	@Test
	void aPrivateCaIsRejectedWithoutTheBundle() {
		AtomicInteger runs = new AtomicInteger();
		this.runner.withPropertyValues(properties("localhost", false)).run((context) -> {
			Throwable error = runTool(context.getBean(RunlayerClient.class), runs);
			assertThat(error).isInstanceOfSatisfying(RunlayerBlockedException.class,
					(blocked) -> assertThat(blocked.outage()).isTrue());
			assertThat(causedBy(error, SSLHandshakeException.class)).as(String.valueOf(error)).isTrue();
		});
		assertThat(runs).hasValue(0);
	}

	@Test
	void aPrivateCaIsAcceptedThroughTheSslBundle() {
		AtomicInteger runs = new AtomicInteger();
		int before = server.findAll(postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre"))).size();
		this.runner.withPropertyValues(properties("localhost", true)).run((context) -> {
			assertThat(runTool(context.getBean(RunlayerClient.class), runs)).isNull();
		});
		assertThat(runs).hasValue(1);
		assertThat(server.findAll(postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre")))).hasSize(before + 1);
	}

	@Test
	void theBundleDoesNotTurnOffHostNameVerification() {
		// 127.0.0.2 reaches the same server, but the certificate names only localhost and 127.0.0.1
		AtomicInteger runs = new AtomicInteger();
		this.runner.withPropertyValues(properties("127.0.0.2", true)).run((context) -> {
			Throwable error = runTool(context.getBean(RunlayerClient.class), runs);
			assertThat(error).isInstanceOfSatisfying(RunlayerBlockedException.class,
					(blocked) -> assertThat(blocked.outage()).isTrue());
			assertThat(error).hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
		});
		assertThat(runs).hasValue(0);
	}

	@Test
	void anUnknownBundleFailsAtStartupNamingTheProperty() {
		this.runner.withPropertyValues(properties("localhost", false))
			.withPropertyValues("runlayer.ssl.bundle=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("runlayer.ssl.bundle"));
	}

	@Test
	void theJdkDefaultTrustIsUsedWithoutABundleAndCertificatesAreVerified() {
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(httpsUrl("localhost"))
			.apiKey("rl_sk_live_4f9c2e7a1b8d6053aa")
			.timeout(Duration.ofSeconds(3))
			.build()) {
			Throwable error = runTool(client, runs);
			assertThat(error).isInstanceOf(RunlayerBlockedException.class);
			assertThat(causedBy(error, SSLHandshakeException.class)).as(String.valueOf(error)).isTrue();
		}
		assertThat(runs).hasValue(0);
	}

}
