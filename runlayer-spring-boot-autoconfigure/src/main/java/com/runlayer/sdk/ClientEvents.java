package com.runlayer.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.hooks.OutputTruncator;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import static com.runlayer.sdk.CompositeObserver.safeObserve;
import static com.runlayer.sdk.RunlayerClient.requireText;

/**
 * Lifecycle telemetry of a client: best-effort events through the dispatcher, strict events, and the
 * transcript-bearing {@code Stop}. Decides how a transcript is bounded (4 MiB, oldest lines dropped first) and
 * chunked (1 MiB on line boundaries), both measured as sent (the JSON-escaped form inside the {@code transcript}
 * string), how a strict failure is reported ({@link RunlayerException} saying why), and
 * how loudly a swallowed telemetry failure is logged (DEBUG, or WARN with debug on).
 */
final class ClientEvents {

	// the client's logger category, so logging configuration keeps working as before the split
	private static final Logger logger = LoggerFactory.getLogger(RunlayerClient.class);

	private static final int TRANSCRIPT_CHUNK_BYTES = 1024 * 1024;

	private static final int TRANSCRIPT_MAX_BYTES = 4 * 1024 * 1024;

	private final GuardedTransport transport;

	private final HookPayloads payloads;

	private final RunlayerObserver observer;

	private final EventDispatcher dispatcher;

	private final boolean debug;

	private final OutputTruncator truncator;

	private final long fieldCap;

	private final boolean sendPrompts;

	private final RunlayerPayloadRedactor redactor;

	private final CallSubjects subjects;

	ClientEvents(GuardedTransport transport, HookPayloads payloads, RunlayerObserver observer, EventDispatcher dispatcher,
			ClientSettings options, OutputTruncator truncator, long fieldCap, CallSubjects subjects) {
		this.subjects = subjects;
		this.transport = transport;
		this.payloads = payloads;
		this.observer = observer;
		this.dispatcher = dispatcher;
		this.debug = options.debug;
		this.truncator = truncator;
		this.fieldCap = fieldCap;
		this.sendPrompts = options.telemetryPrompts;
		this.redactor = options.redactor;
	}

	/** See {@link RunlayerClient#emitEvent(String, String, Map)}. */
	void emitEvent(String eventName, String sessionId, Map<String, Object> payload) {
		if (eventName == null || eventName.isBlank() || sessionId == null || sessionId.isBlank()) {
			logger.debug("Runlayer event dropped: event name and session id are required");
			return;
		}
		// The body is built (fields capped) on the caller's thread, so the queue holds bounded bytes of a known size
		// and never a reference to the caller's large or mutable objects; the subject is decided there too.
		byte[] body;
		RunlayerSubject subject;
		try {
			subject = this.subjects.resolve(null, sessionId);
			body = bodyBytes(eventName, sessionId, outgoingPrompt(eventName, sessionId, payload), Instant.now(), null);
		}
		catch (RuntimeException ex) {
			telemetryFailed(eventName, ex);
			return;
		}
		this.dispatcher.submit(sessionId, eventName, body.length, () -> {
			try {
				this.transport.postJson(HookEndpoint.EVENTS, null, body, null, subject);
				telemetrySent(eventName);
			}
			catch (RuntimeException ex) {
				telemetryFailed(eventName, ex);
			}
		});
	}

	/**
	 * Queues a best-effort telemetry POST (e.g. {@code PostToolUseFailure}) on the session's ordered lane: the caller
	 * does not wait for Runlayer, a strict send of the session waits for it, and a failure is only counted and logged.
	 * @param sessionId the session id
	 * @param eventName the event name (for the counters and logs)
	 * @param post the POST
	 */
	void submitTelemetry(String sessionId, String eventName, Runnable post) {
		this.dispatcher.submit(sessionId, eventName, () -> {
			try {
				post.run();
				telemetrySent(eventName);
			}
			catch (RuntimeException ex) {
				telemetryFailed(eventName, ex);
			}
		});
	}

	/** See {@link RunlayerClient#emitEventStrict(String, String, Map)}. */
	void emitEventStrict(String eventName, String sessionId, Map<String, Object> payload) {
		requireText(eventName, "eventName");
		requireText(sessionId, "sessionId");
		Instant emittedAt = Instant.now();
		Map<String, Object> outgoing;
		try {
			outgoing = outgoingPrompt(eventName, sessionId, payload);
		}
		catch (RuntimeException ex) {
			throw new RunlayerException("Runlayer event " + eventName + " not sent: the RunlayerPayloadRedactor failed",
					ex);
		}
		this.dispatcher.awaitSession(sessionId, eventTimeout());
		strictPost(eventName, sessionId, outgoing, emittedAt, null);
	}

	/**
	 * Applies what may leave the service to a {@code UserPromptSubmit}'s {@code prompt}: an empty text when
	 * {@code runlayer.telemetry.prompts} is off, else the redactor's text.
	 * @return the payload to send (a changed copy, or the payload itself)
	 */
	private Map<String, Object> outgoingPrompt(String eventName, String sessionId, Map<String, Object> payload) {
		if (payload == null || !HookPayloads.USER_PROMPT_SUBMIT.equals(eventName) || !payload.containsKey("prompt")
				|| (this.sendPrompts && this.redactor == RunlayerPayloadRedactor.NONE)) {
			return payload;
		}
		Map<String, Object> copy = new LinkedHashMap<>(payload);
		if (!this.sendPrompts) {
			copy.put("prompt", "");
			return copy;
		}
		Object prompt = copy.get("prompt");
		copy.put("prompt", this.redactor.redactPrompt(sessionId, (prompt != null) ? prompt.toString() : null));
		return copy;
	}

	/** See {@link RunlayerClient#emitTranscriptStop(TranscriptStop)}. */
	void emitTranscriptStop(TranscriptStop stop) {
		Objects.requireNonNull(stop, "stop");
		requireText(stop.sessionId(), "sessionId");
		Instant emittedAt = Instant.now();
		List<String> lines = new ArrayList<>();
		long total = 0;
		for (String line : stop.transcriptLines()) {
			if (line == null || line.isBlank()) {
				continue;
			}
			String clean = line.strip();
			lines.add(clean);
			total += lineBytes(clean);
		}
		long dropped = 0;
		while (total > TRANSCRIPT_MAX_BYTES && !lines.isEmpty()) {
			long size = lineBytes(lines.remove(0));
			total -= size;
			dropped += size;
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("stop_hook_active", false);
		if (stop.model() != null) {
			payload.put("model", stop.model());
		}
		if (dropped > 0) {
			payload.put("transcript_dropped_bytes", dropped);
		}
		this.dispatcher.awaitSession(stop.sessionId(), eventTimeout());
		if (lines.isEmpty()) {
			strictPost(HookPayloads.STOP, stop.sessionId(), payload, emittedAt, null);
			return;
		}
		StringBuilder chunk = new StringBuilder();
		long chunkBytes = 0;
		for (String line : lines) {
			long size = lineBytes(line);
			if (chunkBytes > 0 && chunkBytes + size > TRANSCRIPT_CHUNK_BYTES) {
				strictPost(HookPayloads.STOP, stop.sessionId(), payload, emittedAt, chunk.toString());
				chunk.setLength(0);
				chunkBytes = 0;
			}
			chunk.append(line).append('\n');
			chunkBytes += size;
		}
		strictPost(HookPayloads.STOP, stop.sessionId(), payload, emittedAt, chunk.toString());
	}

	/**
	 * Sends one event and waits for Runlayer to accept it.
	 * @throws RunlayerException when it was not accepted, or could not be sent
	 */
	void strictPost(String eventName, String sessionId, Map<String, ?> payload, Instant emittedAt,
			String transcript) {
		try {
			postEvent(eventName, sessionId, payload, emittedAt, transcript, this.subjects.resolve(null, sessionId));
			telemetrySent(eventName);
		}
		catch (RuntimeException ex) {
			safeObserve(() -> this.observer.telemetryFailed(eventName, ex));
			if (ex instanceof HookCallException) {
				throw new RunlayerException("Runlayer event " + eventName + " failed: " + describe(ex), ex);
			}
			if (ex instanceof RunlayerException) {
				throw ex;
			}
			// e.g. a payload value Jackson cannot serialize: keep the public API inside the RunlayerException tree
			throw new RunlayerException("Runlayer event " + eventName + " could not be sent: "
					+ ex.getClass().getSimpleName(), ex);
		}
	}

	/**
	 * Tells the observer that a best-effort telemetry call was accepted.
	 * @param eventName the event name
	 */
	void telemetrySent(String eventName) {
		safeObserve(() -> this.observer.telemetrySent(eventName));
	}

	/**
	 * Swallows a best-effort telemetry failure: tells the observer, then logs it (DEBUG, or WARN with debug on).
	 * @param eventName the event name
	 * @param ex the failure
	 */
	void telemetryFailed(String eventName, RuntimeException ex) {
		safeObserve(() -> this.observer.telemetryFailed(eventName, ex));
		if (this.debug) {
			logger.warn("Runlayer telemetry {} failed: {}", eventName, describe(ex));
		}
		else {
			logger.debug("Runlayer telemetry {} failed: {}", eventName, describe(ex));
		}
	}

	/** The failure with the server's error excerpt, for the strict helpers' errors and the logs. */
	private static String describe(RuntimeException ex) {
		return (ex instanceof HookCallException call) ? call.describe() : ex.getMessage();
	}

	private void postEvent(String eventName, String sessionId, Map<String, ?> payload, Instant emittedAt,
			String transcript, RunlayerSubject subject) {
		// transcript chunks have their own, longer timeout
		this.transport.postJson((transcript != null) ? HookEndpoint.TRANSCRIPT : HookEndpoint.EVENTS, null,
				bodyBytes(eventName, sessionId, payload, emittedAt, transcript), null, subject);
	}

	/** The event body with each payload field capped like tool output (the transcript is chunked, not capped). */
	private byte[] bodyBytes(String eventName, String sessionId, Map<String, ?> payload, Instant emittedAt,
			String transcript) {
		ObjectNode body = this.payloads.event(eventName, sessionId, payload, emittedAt, transcript, this.truncator,
				this.fieldCap);
		return this.payloads.toBytes(body);
	}

	/**
	 * A transcript line's size as sent: the JSON-escaped form inside the {@code transcript} string, with its escaped
	 * newline.
	 */
	private static long lineBytes(String line) {
		return OutputTruncator.jsonTextBytes(line) + 2;
	}

	private Duration eventTimeout() {
		return this.transport.transport().settings().timeout(HookEndpoint.EVENTS);
	}

}
