package com.runlayer.sdk.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.observe.RunlayerObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

class EventDispatcherTests {

	private static final String EVENTS = "/api/v1/hooks/events";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final RecordingObserver observer = new RecordingObserver();

	@Test
	void eventsOfOneSessionArriveInEmitOrderUnderConcurrentEmitters() throws Exception {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		int threads = 6;
		int eventsPerSession = 40;
		try (RunlayerClient client = client((b) -> b)) {
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String a = "session-" + t + "-a";
				String b = "session-" + t + "-b";
				futures.add(pool.submit(() -> {
					start.await();
					for (int seq = 0; seq < eventsPerSession; seq++) {
						client.emitEvent("UserPromptSubmit", a, Map.of("seq", seq));
						client.emitEvent("UserPromptSubmit", b, Map.of("seq", seq));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
			pool.shutdown();
		}
		Map<String, List<Integer>> seqBySession = new LinkedHashMap<>();
		for (JsonNode body : receivedEventBodies()) {
			JsonNode payload = body.get("payload");
			seqBySession.computeIfAbsent(payload.get("session_id").stringValue(), (k) -> new ArrayList<>())
				.add(payload.get("seq").intValue());
		}
		assertThat(seqBySession).hasSize(threads * 2);
		List<Integer> expected = new ArrayList<>();
		for (int seq = 0; seq < eventsPerSession; seq++) {
			expected.add(seq);
		}
		seqBySession.forEach((session, seqs) -> assertThat(seqs).as(session).isEqualTo(expected));
		assertThat(this.observer.sent).hasSize(threads * 2 * eventsPerSession);
		assertThat(this.observer.dropped).isEmpty();
	}

	@Test
	void fullQueueDropsTheNewestEventsAndCountsThem() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(500)));
		try (RunlayerClient client = client((b) -> b.eventQueueCapacity(2))) {
			for (int i = 1; i <= 5; i++) {
				client.emitEvent("Event" + i, "s1", null);
			}
			assertThat(client.eventDispatcher().droppedCount()).isEqualTo(3);
			assertThat(client.eventDispatcher().queueSize()).isEqualTo(2);
			assertThat(this.observer.dropped).containsExactly("Event3", "Event4", "Event5");
		}
		assertThat(receivedEventBodies()).extracting((body) -> body.get("event_name").stringValue())
			.containsExactly("Event1", "Event2");
	}

	@Test
	void theBacklogIsBoundedInBytesAsWellAsInCount() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		List<String> delivered = new CopyOnWriteArrayList<>();
		EventDispatcher dispatcher = new EventDispatcher(1, 100, 1000, this.observer);
		try {
			Runnable blocked = () -> {
				try {
					gate.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				delivered.add("first");
			};
			dispatcher.submit("s1", "E1", 400, blocked);
			dispatcher.submit("s1", "E2", 400, () -> delivered.add("second"));
			dispatcher.submit("s1", "E3", 400, () -> delivered.add("third"));
			dispatcher.submit("s1", "E4", 1001, () -> delivered.add("too big on its own"));
			assertThat(dispatcher.queueBytes()).isEqualTo(800);
			assertThat(dispatcher.queueSize()).isEqualTo(2);
			assertThat(dispatcher.droppedCount()).isEqualTo(2);
			assertThat(this.observer.dropped).containsExactly("E3", "E4");
			gate.countDown();
			dispatcher.awaitSession("s1", Duration.ofSeconds(10));
			assertThat(delivered).containsExactly("first", "second");
			assertThat(dispatcher.queueBytes()).isZero();
			// the freed bytes are usable again
			dispatcher.submit("s1", "E5", 1000, () -> delivered.add("fits again"));
			dispatcher.awaitSession("s1", Duration.ofSeconds(10));
			assertThat(delivered).containsExactly("first", "second", "fits again");
		}
		finally {
			dispatcher.close(Duration.ofSeconds(1));
		}
		assertThat(dispatcher.maxBytes()).isEqualTo(1000);
	}

	@Test
	void bytesOfEventsDroppedAtCloseAreReleased() {
		EventDispatcher dispatcher = new EventDispatcher(1, 100, 1000, this.observer);
		CountDownLatch never = new CountDownLatch(1);
		dispatcher.submit("s1", "Stuck", 100, () -> {
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		dispatcher.submit("s1", "Queued", 300, () -> {
		});
		dispatcher.close(Duration.ofMillis(100));
		assertThat(dispatcher.queueBytes()).isZero();
		assertThat(dispatcher.queueSize()).isZero();
		assertThat(this.observer.dropped).contains("Queued");
	}

	@Test
	void aByteBoundBelowOneIsRejectedNamingTheProperty() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new EventDispatcher(1, 10, 0, null))
			.withMessageContaining("runlayer.events.queue-max-bytes");
	}

	@Test
	void closeFlushesQueuedEventsBeforeReturning() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(100)));
		RunlayerClient client = client((b) -> b);
		for (int i = 1; i <= 5; i++) {
			client.emitEvent("Event" + i, "s1", Map.of("prompt", "p" + i));
		}
		client.close();
		assertThat(receivedEventBodies()).extracting((body) -> body.get("event_name").stringValue())
			.containsExactly("Event1", "Event2", "Event3", "Event4", "Event5");
		assertThat(this.observer.sent).hasSize(5);
		assertThat(client.eventDispatcher().queueSize()).isZero();
	}

	@Test
	void strictEventIsSentAfterTheQueuedEventsOfItsSession() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(200)));
		try (RunlayerClient client = client((b) -> b)) {
			client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "one"));
			client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "two"));
			client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "three"));
			client.emitEventStrict("Stop", "s1", Map.of("stop_hook_active", false));
			List<String> received = receivedEventBodies().stream()
				.map((body) -> body.get("event_name").stringValue() + ":"
						+ body.get("payload").path("prompt").asString(""))
				.toList();
			assertThat(received).containsExactly("UserPromptSubmit:one", "UserPromptSubmit:two",
					"UserPromptSubmit:three", "Stop:");
		}
	}

	@Test
	void timestampIsStampedWhenTheEventIsEmittedNotWhenItIsSent() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(600)));
		try (RunlayerClient client = client((b) -> b)) {
			client.emitEvent("First", "s1", null);
			client.emitEvent("Second", "s1", null);
		}
		List<JsonNode> bodies = receivedEventBodies();
		assertThat(bodies).hasSize(2);
		// Second was emitted right after First but sent about 600 ms later: its stamp is its emit time.
		java.time.OffsetDateTime first = java.time.OffsetDateTime
			.parse(bodies.get(0).get("payload").get("timestamp").stringValue());
		java.time.OffsetDateTime second = java.time.OffsetDateTime
			.parse(bodies.get(1).get("payload").get("timestamp").stringValue());
		assertThat(Duration.between(first, second)).isLessThan(Duration.ofMillis(500));
		wm.verify(postRequestedFor(urlEqualTo(EVENTS)).withRequestBody(matchingJsonPath("$.payload.timestamp")));
	}

	@Test
	void closeLeavesNoDispatcherThreadBehind() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		Set<Thread> before = eventThreads();
		RunlayerClient client = client((b) -> b);
		for (int i = 0; i < 40; i++) {
			client.emitEvent("UserPromptSubmit", "session-" + i, null);
		}
		assertThat(eventThreads()).hasSizeGreaterThan(before.size());
		client.close();
		assertThat(newAliveThreads(before)).isEmpty();
	}

	@Test
	void closeStopsThreadsStuckOnASlowRunlayerAndCountsWhatWasNotDelivered() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(4000)));
		Set<Thread> before = eventThreads();
		RunlayerClient client = client((b) -> b.eventShutdownTimeout(Duration.ofMillis(200)));
		client.emitEvent("Stuck", "s1", null);
		client.emitEvent("Queued1", "s1", null);
		client.emitEvent("Queued2", "s1", null);
		client.close();
		assertThat(newAliveThreads(before)).isEmpty();
		assertThat(this.observer.dropped).containsExactly("Queued1", "Queued2");
		assertThat(client.eventDispatcher().queueSize()).isZero();
	}

	@Test
	void eventsEmittedAfterCloseAreDroppedAndCounted() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		RunlayerClient client = client((b) -> b);
		client.close();
		client.emitEvent("Late", "s1", null);
		assertThat(this.observer.dropped).containsExactly("Late");
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void synchronousDispatcherDeliversOnTheCallersThread() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client((b) -> b.eventDispatcher((o) -> EventDispatcher.synchronous()))) {
			client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "hi"));
			wm.verify(postRequestedFor(urlEqualTo(EVENTS))
				.withRequestBody(matchingJsonPath("$.payload.prompt", equalTo("hi"))));
		}
	}

	private RunlayerClient client(java.util.function.UnaryOperator<RunlayerClient.Builder> customizer) {
		return customizer.apply(RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.observer(this.observer)).build();
	}

	/** The bodies of the event requests in the order WireMock received them. */
	private List<JsonNode> receivedEventBodies() {
		List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
		// WireMock lists the newest request first
		Collections.reverse(events);
		return events.stream()
			.filter((event) -> event.getRequest().getUrl().equals(EVENTS))
			.map((event) -> this.json.readTree(event.getRequest().getBodyAsString()))
			.collect(Collectors.toList());
	}

	private static Set<Thread> eventThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("runlayer-events-") && thread.isAlive())
			.collect(Collectors.toSet());
	}

	private static Set<Thread> newAliveThreads(Set<Thread> before) {
		Set<Thread> now = eventThreads();
		now.removeAll(before);
		return now;
	}

	static final class RecordingObserver implements RunlayerObserver {

		final List<String> sent = new CopyOnWriteArrayList<>();

		final List<String> failed = new CopyOnWriteArrayList<>();

		final List<String> dropped = new CopyOnWriteArrayList<>();

		@Override
		public void telemetrySent(String eventName) {
			this.sent.add(eventName);
		}

		@Override
		public void telemetryFailed(String eventName, Throwable error) {
			this.failed.add(eventName);
		}

		@Override
		public void telemetryDropped(String eventName) {
			this.dropped.add(eventName);
		}

	}

}
