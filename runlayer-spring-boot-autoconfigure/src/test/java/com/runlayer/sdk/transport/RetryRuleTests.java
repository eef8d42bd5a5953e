package com.runlayer.sdk.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry rule itself, without the network.
 */
class RetryRuleTests {

	private static final Duration PLENTY = Duration.ofSeconds(30);

	private final RetryPolicy policy = RetryPolicy.DEFAULT;

	@Test
	void serverErrorsBackOffAboutTwoHundredMillisThenOneSecondWithJitter() {
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 500, null, PLENTY))
			.isBetween(Duration.ofMillis(150), Duration.ofMillis(250));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 1, 502, null, PLENTY))
			.isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 2, 503, null, PLENTY)).isNull();
	}

	@Test
	void retryAfterMustBeNumericFiniteAndNotNegative() {
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "3", PLENTY)).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "0.5", PLENTY)).isEqualTo(Duration.ofMillis(500));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, null, PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "NaN", PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "Infinity", PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "-1", PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "Wed, 21 Oct 2015 07:28:00 GMT", PLENTY))
			.isNull();
	}

	@Test
	void retryAfterIsDecimalSecondsNotAnyJavaNumber() {
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, " 1 ", PLENTY)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "1e0", PLENTY)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "1d", PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "1f", PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "0x1p0", PLENTY)).isNull();
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "1 s", PLENTY)).isNull();
	}

	@Test
	void retryAfterMustLeaveTwoSecondsOfBudget() {
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "3", Duration.ofSeconds(5)))
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, 429, "3", Duration.ofMillis(4999))).isNull();
	}

	@Test
	void otherClientErrorsAreFinal() {
		for (int status : new int[] { 400, 401, 403, 404, 413, 422 }) {
			assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_PRE, 0, status, "1", PLENTY)).isNull();
		}
	}

	@Test
	void toolPostRetriesOnlyRequestsThatProvablyWereNotSent() {
		assertThat(this.policy.retryAfterStatus(HookEndpoint.TOOL_POST, 0, 500, null, PLENTY)).isNull();
		assertThat(this.policy.retryAfterError(HookEndpoint.TOOL_POST, 0, new IOException(new ConnectException("refused")),
				PLENTY)).isNotNull();
		assertThat(this.policy.retryAfterError(HookEndpoint.TOOL_POST, 0, new HttpTimeoutException("read"), PLENTY)).isNull();
		assertThat(this.policy.retryAfterError(HookEndpoint.TOOL_POST, 0, new IOException("reset"), PLENTY)).isNull();
	}

	@Test
	void toolPreRetriesTransportErrors() {
		assertThat(this.policy.retryAfterError(HookEndpoint.TOOL_PRE, 0, new IOException("reset"), PLENTY)).isNotNull();
		assertThat(this.policy.retryAfterError(HookEndpoint.TOOL_PRE, 2, new IOException("reset"), PLENTY)).isNull();
	}

	@Test
	void eventsAreNeverRetried() {
		assertThat(this.policy.retryAfterStatus(HookEndpoint.EVENTS, 0, 503, null, PLENTY)).isNull();
		assertThat(this.policy.retryAfterError(HookEndpoint.EVENTS, 0, new ConnectException("refused"), PLENTY)).isNull();
	}

}
