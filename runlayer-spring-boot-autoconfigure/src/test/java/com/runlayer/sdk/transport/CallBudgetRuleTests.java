package com.runlayer.sdk.transport;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget rule of one call: min(timeout, 28 s), cut short by a caller's deadline, and no follow-up attempt with
 * less than 2 s left.
 */
class CallBudgetRuleTests {

	@Test
	void theBudgetIsTheTimeoutAtMost28Seconds() {
		assertThat(CallBudget.start(Duration.ofSeconds(60), 0L).timeout("/p", null))
			.hasMessage("Runlayer /p did not answer within 28000 ms")
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(HookCallException.Kind.TIMEOUT));
		CallBudget budget = CallBudget.start(Duration.ofSeconds(5), 0L);
		assertThat(budget.remaining()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
		assertThat(budget.timeout("/p", null)).hasMessage("Runlayer /p did not answer within 5000 ms");
	}

	@Test
	void aCallersEarlierDeadlineCutsTheBudgetShortAndALaterOneDoesNot() {
		long callerDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		assertThat(CallBudget.start(Duration.ofSeconds(10), callerDeadline).deadlineNanos()).isEqualTo(callerDeadline);
		long later = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		assertThat(CallBudget.start(Duration.ofSeconds(10), later).remaining())
			.isLessThanOrEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void noFollowUpAttemptStartsWithLessThanTwoSecondsLeft() {
		CallBudget short1500 = CallBudget.start(Duration.ofSeconds(10), System.nanoTime() + 1_500_000_000L);
		assertThat(short1500.allowsAttempt(false)).as("first attempt, 1.5 s left").isTrue();
		assertThat(short1500.allowsAttempt(true)).as("follow-up, 1.5 s left").isFalse();
		CallBudget long5 = CallBudget.start(Duration.ofSeconds(5), 0L);
		assertThat(long5.allowsAttempt(true)).as("follow-up, about 5 s left").isTrue();
		CallBudget spent = CallBudget.start(Duration.ofSeconds(5), System.nanoTime() - 1);
		assertThat(spent.expired()).isTrue();
		assertThat(spent.allowsAttempt(false)).as("first attempt, nothing left").isFalse();
	}

}
