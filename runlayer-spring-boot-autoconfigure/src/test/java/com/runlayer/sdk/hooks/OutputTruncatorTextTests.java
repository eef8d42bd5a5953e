package com.runlayer.sdk.hooks;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class OutputTruncatorTextTests {

	private final OutputTruncator truncator = new OutputTruncator(JsonMapper.builder().build());

	@Test
	void longTextIsCutToTheLongestPrefixThatFitsWithTheMarker() {
		String text = "a".repeat(1000);
		BoundedJson bounded = this.truncator.bound(text, 100, "tool_response");
		String marker = String.format(OutputTruncator.MARKER_FORMAT, 1000);
		int markerBytes = marker.getBytes(StandardCharsets.UTF_8).length;
		assertThat(bounded.truncated()).isTrue();
		assertThat(bounded.originalBytes()).isEqualTo(1000);
		assertThat(bounded.originalBytesExact()).isTrue();
		assertThat(bounded.text()).isEqualTo("a".repeat(100 - markerBytes) + marker);
		assertThat(bounded.sentBytes()).isEqualTo(100);
	}

	@Test
	void cutNeverSplitsAMultiByteCharacterOrASurrogatePair() {
		String text = "\uD83D\uDE00".repeat(100);
		String marker = String.format(OutputTruncator.MARKER_FORMAT, 400);
		int markerBytes = marker.getBytes(StandardCharsets.UTF_8).length;
		BoundedJson bounded = this.truncator.bound(text, markerBytes + 10, "tool_response");
		assertThat(bounded.text()).isEqualTo("\uD83D\uDE00\uD83D\uDE00" + marker);
		assertThat(bounded.sentBytes()).isEqualTo(8 + markerBytes);
	}

	@Test
	void textWithinTheCapIsSentWhole() {
		StringBuilder text = new StringBuilder("é".repeat(10));
		BoundedJson bounded = this.truncator.bound(text, 20, "tool_response");
		assertThat(bounded.truncated()).isFalse();
		assertThat(bounded.payloadValue()).isEqualTo("é".repeat(10));
		assertThat(bounded.originalBytes()).isEqualTo(20);
	}

}
