package com.runlayer.sdk.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The slow-body and huge-body faults of the fault matrix again over HTTPS, where the client speaks HTTP/2 (asserted
 * on the server): a body that stalls after the headers, an answer that never comes, a 20 MB body with a length and a
 * 20 MB chunked body, on tool/pre and tool/post, in closed and open mode. Each case must end as an outage (blocked
 * when closed, allowed when open) within the 1 s budget plus the matrix's 1 s headroom, measured from when the
 * faulted request reached the server.
 */
class HttpsFaultTests {

	private static final String PASSWORD = "changeit";

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration HEADROOM = Duration.ofSeconds(1);

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final byte[] BODY_20_MB = twentyMegabytes();

	@RegisterExtension
	static final LogCapture logs = LogCapture.exceptJdkHttpClientDebugTracing();

	@TempDir
	static Path dir;

	static WireMockServer server;

	static SSLContext trust;

	@BeforeAll
	static void startHttpsServer() throws Exception {
		Path keystore = dir.resolve("server.p12");
		Path certificate = dir.resolve("server.crt");
		Path truststore = dir.resolve("trust.p12");
		keytool("-genkeypair", "-alias", "runlayer", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
				keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool("-exportcert", "-alias", "runlayer", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-rfc",
				"-file", certificate.toString());
		keytool("-importcert", "-noprompt", "-alias", "runlayer-ca", "-file", certificate.toString(), "-storetype",
				"PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(truststore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		trust = SSLContext.getInstance("TLS");
		trust.init(null, factory.getTrustManagers(), null);
		server = new WireMockServer(wireMockConfig().dynamicPort()
			.dynamicHttpsPort()
			.httpDisabled(true)
			.keystorePath(keystore.toString())
			.keystoreType("PKCS12")
			.keystorePassword(PASSWORD)
			.keyManagerPassword(PASSWORD)
			.containerThreads(32)
			.jettyStopTimeout(100L));
		server.start();
		// warm-up: TLS and HTTP/2 classes load once per JVM, which is not what the cases measure
		healthy();
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl("https://localhost:" + server.httpsPort())
			.sslContext(trust)
			.apiKey(Secrets.API_KEY)
			.timeout(Duration.ofSeconds(20))
			.build()) {
			for (int i = 0; i < 3; i++) {
				client.runTool(call(), (input) -> "ok");
			}
		}
	}

	@AfterAll
	static void stopHttpsServer() {
		if (server != null) {
			server.stop();
		}
	}

	static Stream<Arguments> cases() {
		List<Arguments> all = new ArrayList<>();
		for (String path : List.of(PRE, POST)) {
			for (String fault : List.of("stalled body", "never answered", "20 MB body", "20 MB chunked body")) {
				for (EnforcementFailureMode mode : EnforcementFailureMode.values()) {
					all.add(Arguments.of(path, fault, mode));
				}
			}
		}
		return all.stream();
	}

	@ParameterizedTest(name = "{0} / {1} / {2}")
	@MethodSource("cases")
	void slowAndHugeBodiesOverHttp2AreOutagesWithinTheBudget(String path, String fault, EnforcementFailureMode mode) {
		server.resetAll();
		healthy();
		server.stubFor(post(path).atPriority(1).willReturn(answer(fault, path)));
		AtomicInteger runs = new AtomicInteger();
		Throwable error;
		long ended;
		try (RunlayerClient client = client(mode)) {
			error = catchThrowable(() -> client.runTool(call(), (input) -> "output " + runs.incrementAndGet()));
			ended = System.currentTimeMillis();
		}
		// the server journals a request only once it starts answering, which for a 20 MB answer on a loaded machine
		// can be after the client gave up: wait (bounded) for it, the request still has to have arrived
		List<LoggedRequest> faulted = server.findAll(postRequestedFor(urlEqualTo(path)));
		for (long until = System.nanoTime() + Duration.ofSeconds(10).toNanos(); faulted.isEmpty()
				&& System.nanoTime() - until < 0;) {
			sleep(20);
			faulted = server.findAll(postRequestedFor(urlEqualTo(path)));
		}
		assertThat(faulted).as("the fault was reached").isNotEmpty();
		assertThat(faulted).allSatisfy((request) -> assertThat(request.getProtocol()).isEqualTo("HTTP/2.0"));
		long fromFault = ended - faulted.get(0).getLoggedDate().getTime();
		assertThat(fromFault).as("ms from the fault").isLessThanOrEqualTo(TIMEOUT.plus(HEADROOM).toMillis());
		boolean pre = path.equals(PRE);
		if (mode == EnforcementFailureMode.OPEN) {
			assertThat(error).isNull();
			assertThat(runs).hasValue(1);
		}
		else {
			assertThat(error).isInstanceOfSatisfying(RunlayerBlockedException.class, (blocked) -> {
				assertThat(blocked.outage()).isTrue();
				assertThat(blocked.stage()).isEqualTo(pre ? EnforcementStage.PRE_TOOL : EnforcementStage.POST_TOOL);
			});
			assertThat(runs).hasValue(pre ? 0 : 1);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static ResponseDefinitionBuilder answer(String fault, String path) {
		String valid = path.equals(PRE) ? "{\"permission\":\"allow\"" : "{\"blocked\":false";
		return switch (fault) {
			case "stalled body" -> okJson(valid + ",\"pad\":\"" + "x".repeat(200) + "\"}").withChunkedDribbleDelay(4,
					2500);
			case "never answered" -> okJson(valid + "}").withFixedDelay(2500);
			case "20 MB body" -> aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(BODY_20_MB);
			default -> aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(BODY_20_MB)
				.withChunkedDribbleDelay(200, 200);
		};
	}

	private static void healthy() {
		server.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		server.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
	}

	private static RunlayerClient client(EnforcementFailureMode mode) {
		return RunlayerClient.builder()
			.baseUrl("https://localhost:" + server.httpsPort())
			.sslContext(trust)
			.apiKey(Secrets.API_KEY)
			.timeout(TIMEOUT)
			.enforcementFailureMode(mode)
			.build();
	}

	private static ToolCall call() {
		return ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("command", "ls")).build();
	}

	private static byte[] twentyMegabytes() {
		byte[] prefix = "{\"permission\":\"allow\",\"blocked\":false,\"pad\":\"".getBytes();
		byte[] body = new byte[20 * 1024 * 1024];
		Arrays.fill(body, (byte) 'x');
		System.arraycopy(prefix, 0, body, 0, prefix.length);
		body[body.length - 2] = '"';
		body[body.length - 1] = '}';
		return body;
	}

	private static void keytool(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("keytool " + args[0] + ": " + output).isZero();
	}

}
