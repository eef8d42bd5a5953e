package com.runlayer.sdk;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request compression: off by default; when on, gzip over 16 KiB, and one identity resend after 400/415/422,
 * after which the client stops compressing.
 */
class CompressionTests {

	private static final String LARGE = "z".repeat(20 * 1024);

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void compressionIsOffByDefault() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).build()) {
			client.runTool(bash(LARGE), (input) -> LARGE);
		}
		assertThat(requests(wm, PRE).get(0).getHeader("Content-Encoding")).isNull();
		assertThat(requests(wm, PRE).get(0).getBodyAsString()).contains(LARGE);
	}

	@Test
	void largeBodiesAreGzippedAndSmallOnesAreNot() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).compression(true).build()) {
			client.runTool(bash(LARGE), (input) -> "small");
			client.runTool(bash("ls"), (input) -> "small");
		}
		List<LoggedRequest> pre = requests(wm, PRE);
		assertThat(pre.get(0).getHeader("Content-Encoding")).isEqualTo("gzip");
		// WireMock hands back the decompressed body
		assertThat(pre.get(0).getBodyAsString()).contains(LARGE);
		assertThat(pre.get(1).getHeader("Content-Encoding")).isNull();
	}

	@Test
	void rejectedCompressedBodyIsResentUncompressedOnceAndCompressionStops() {
		wm.stubFor(post(PRE).withHeader("Content-Encoding", equalTo("gzip")).willReturn(aResponse().withStatus(415)));
		wm.stubFor(post(PRE).withHeader("Content-Encoding", absent()).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).compression(true).build()) {
			assertThat(client.runTool(bash(LARGE), (input) -> "ran")).isEqualTo("ran");
			assertThat(client.runTool(bash(LARGE), (input) -> "ran again")).isEqualTo("ran again");
		}
		List<LoggedRequest> pre = requests(wm, PRE);
		assertThat(pre).extracting((r) -> String.valueOf(r.getHeader("Content-Encoding")))
			.containsExactly("gzip", "null", "null");
		assertThat(pre.get(1).getHeader("x-runlayer-idempotency-key"))
			.isEqualTo(pre.get(0).getHeader("x-runlayer-idempotency-key"));
		assertThat(pre.get(1).getBodyAsString()).contains(LARGE);
	}

	@Test
	void aLegacyCursorRouteValidationDenyOfACompressedBodyIsResentUncompressedOnce() {
		String cursor = "/api/v1/hooks/cursor";
		wm.stubFor(post(cursor).withHeader("Content-Encoding", equalTo("gzip"))
			.willReturn(okJson("{\"permission\":\"deny\",\"user_message\":\"Hook validation failed: body\"}")));
		wm.stubFor(post(cursor).withHeader("Content-Encoding", absent()).willReturn(okJson(ALLOW)));
		try (RunlayerClient client = client(wm).compression(true).directMcpSourceEnforcementPath(cursor).build()) {
			McpSourceCheck check = new McpSourceCheck("g1", "s1", "mcp__github__list_repos",
					"https://mcp.example.com/mcp", null, null, java.util.Map.of("query", LARGE));
			client.enforceMcpSource(check);
			client.enforceMcpSource(check);
		}
		List<LoggedRequest> sent = requests(wm, cursor);
		assertThat(sent).extracting((r) -> String.valueOf(r.getHeader("Content-Encoding")))
			.containsExactly("gzip", "null", "null");
		assertThat(sent.get(1).getHeader("x-runlayer-idempotency-key"))
			.isEqualTo(sent.get(0).getHeader("x-runlayer-idempotency-key"));
	}

	@Test
	void aValidationDenyOfAnUncompressedBodyIsAPolicyDeny() {
		String cursor = "/api/v1/hooks/cursor";
		wm.stubFor(post(cursor)
			.willReturn(okJson("{\"permission\":\"deny\",\"user_message\":\"Hook validation failed: body\"}")));
		try (RunlayerClient client = client(wm).directMcpSourceEnforcementPath(cursor).build()) {
			org.assertj.core.api.Assertions
				.assertThatThrownBy(() -> client.enforceMcpSource(
						McpSourceCheck.ofUrl("g1", "s1", "mcp__github__list_repos", "https://mcp.example.com/mcp")))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isFalse());
		}
		assertThat(requests(wm, cursor)).hasSize(1);
	}

}
