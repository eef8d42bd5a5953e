package com.runlayer.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.transport.RandomIds;

/**
 * The strict ingestion preflight: a fresh synthetic session of {@code SessionStart}, {@code UserPromptSubmit} and
 * {@code Stop}, each sent after the previous one was accepted. Decides the synthetic payloads (source, prompt,
 * working directory) and how a failure is named (the event, and how many were accepted before it).
 */
final class Preflight {

	private final ClientEvents events;

	private final String cwd;

	/**
	 * Creates the preflight.
	 * @param events the event sender
	 * @param configuredCwd the configured working directory ({@code runlayer.cwd}), or null for the process's
	 */
	Preflight(ClientEvents events, String configuredCwd) {
		this.events = events;
		this.cwd = (configuredCwd != null) ? configuredCwd : System.getProperty("user.dir");
	}

	/** See {@link RunlayerClient#sendPreflight(String)}. */
	PreflightResult send(String prompt) {
		String sessionId = RandomIds.uuid();
		List<PreflightResult.SentEvent> sent = new ArrayList<>();
		String cwd = this.cwd;
		Map<String, Object> start = new LinkedHashMap<>();
		start.put("source", "startup");
		if (cwd != null) {
			start.put("cwd", cwd);
		}
		Map<String, Object> promptPayload = new LinkedHashMap<>();
		promptPayload.put("prompt", (prompt != null) ? prompt : "Runlayer ingestion preflight");
		if (cwd != null) {
			promptPayload.put("cwd", cwd);
		}
		Map<String, Object> stopPayload = new LinkedHashMap<>();
		stopPayload.put("stop_hook_active", false);
		if (cwd != null) {
			stopPayload.put("cwd", cwd);
		}
		step(HookPayloads.SESSION_START, sessionId, start, sent);
		step(HookPayloads.USER_PROMPT_SUBMIT, sessionId, promptPayload, sent);
		step(HookPayloads.STOP, sessionId, stopPayload, sent);
		return new PreflightResult(sessionId, sent, Instant.now());
	}

	private void step(String eventName, String sessionId, Map<String, Object> payload,
			List<PreflightResult.SentEvent> sent) {
		long started = System.nanoTime();
		try {
			this.events.strictPost(eventName, sessionId, payload, Instant.now(), null);
		}
		catch (RunlayerException ex) {
			throw new RunlayerException("Runlayer preflight failed at " + eventName + " (after "
					+ sent.size() + " accepted events): " + ex.getMessage(), ex);
		}
		sent.add(new PreflightResult.SentEvent(eventName, Duration.ofNanos(System.nanoTime() - started)));
	}

}
