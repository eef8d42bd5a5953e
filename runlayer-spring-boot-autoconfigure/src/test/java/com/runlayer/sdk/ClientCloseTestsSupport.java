package com.runlayer.sdk;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks shared by the lifecycle tests. */
public final class ClientCloseTestsSupport {

	private ClientCloseTestsSupport() {
	}

	/**
	 * Asserts that no thread started since {@code before} by the Runlayer client ({@code runlayer-*}) or its JDK
	 * HTTP client ({@code HttpClient-*}) is still alive.
	 * @param before the threads alive before the client was built
	 * @throws InterruptedException when interrupted while waiting
	 */
	public static void assertNoThreadOutlives(Set<Thread> before) throws InterruptedException {
		// Java 17's HttpClient cannot be shut down: its selector thread ends once the client is unreachable and
		// has no exchange left, and it looks only every 3 s; so the check collects garbage while it waits, with
		// headroom for a loaded 2-core machine: the exchanges that close() cancelled are released by the JDK only when
		// their connections end, which took over 20 s once on a loaded machine, so the check waits up to 60 s (it
		// returns as soon as the threads are gone, within a second or two on a quiet machine).
		List<String> left = List.of();
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < until) {
			left = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((t) -> !before.contains(t) && t.isAlive())
				.map(Thread::getName)
				.filter((name) -> name.startsWith("runlayer") || name.startsWith("HttpClient"))
				.toList();
			if (left.isEmpty()) {
				return;
			}
			System.gc();
			Thread.sleep(100);
		}
		assertThat(left).as("threads of the closed client still alive").isEmpty();
	}

}
