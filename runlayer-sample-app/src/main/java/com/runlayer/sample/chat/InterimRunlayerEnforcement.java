package com.runlayer.sample.chat;

import java.util.Arrays;
import java.util.Map;

import com.runlayer.sdk.EnforcementGuard;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolInvocation;
import com.runlayer.spring.boot.RunlayerToolRegistry;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * STOP-GAP until the starter's Spring AI integration ({@code com.runlayer.spring.ai}, which decorates the
 * {@code ToolCallingManager} and adds {@code RunlayerAdvisor}) is on the classpath: wraps the sample's tool callbacks
 * with the core client ({@code beginTool} / {@code complete} / {@code fail}) and reports the prompt and the stop of
 * each turn. {@link ChatConfiguration} creates it only while {@code com.runlayer.spring.ai.RunlayerAdvisor} is
 * missing, so it switches itself off when that integration is merged and never enforces a call twice.
 */
public class InterimRunlayerEnforcement {

	/** Tool context key holding the Runlayer session id (the same key the Spring AI integration reads). */
	public static final String SESSION_ID_KEY = "runlayer_session_id";

	private final RunlayerClient client;

	private final RunlayerToolRegistry registry;

	private final JsonMapper json = JsonMapper.builder().build();

	InterimRunlayerEnforcement(RunlayerClient client, RunlayerToolRegistry registry) {
		this.client = client;
		this.registry = registry;
	}

	ToolCallback[] wrap(ToolCallback[] callbacks) {
		return Arrays.stream(callbacks).map(this::wrap).toArray(ToolCallback[]::new);
	}

	private ToolCallback wrap(ToolCallback delegate) {
		if (this.registry != null) {
			this.registry.register(delegate.getToolDefinition().name(), RunlayerToolRegistry.SPRING_AI,
					"sample tool callback");
		}
		return new EnforcedToolCallback(delegate);
	}

	void promptSubmitted(String sessionId, String prompt) {
		this.client.emitUserPromptSubmit(sessionId, prompt);
	}

	void turnFinished(String sessionId) {
		this.client.emitStop(sessionId);
	}

	private final class EnforcedToolCallback implements ToolCallback {

		private final ToolCallback delegate;

		EnforcedToolCallback(ToolCallback delegate) {
			this.delegate = delegate;
		}

		@Override
		public ToolDefinition getToolDefinition() {
			return this.delegate.getToolDefinition();
		}

		@Override
		public ToolMetadata getToolMetadata() {
			return this.delegate.getToolMetadata();
		}

		@Override
		public String call(String toolInput) {
			return call(toolInput, null);
		}

		@Override
		public String call(String toolInput, ToolContext toolContext) {
			String toolName = getToolDefinition().name();
			Map<String, Object> input = json.readValue((toolInput != null && !toolInput.isBlank()) ? toolInput : "{}",
					new TypeReference<Map<String, Object>>() {
					});
			ToolInvocation invocation;
			try {
				invocation = client.beginTool(ToolCall.builder()
					.sessionId(sessionId(toolContext))
					.toolName(toolName)
					.toolType("function")
					.toolInput(input)
					.build());
			}
			catch (RunlayerBlockedException ex) {
				return feedback(ex);
			}
			String effectiveInput = invocation.rewritten() ? json.writeValueAsString(invocation.input()) : toolInput;
			String output;
			try {
				output = EnforcementGuard.runEnforced(() -> this.delegate.call(effectiveInput, toolContext));
			}
			catch (Exception ex) {
				invocation.fail(ex);
				throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
			}
			Object value = toValue(output);
			Object released;
			try {
				released = invocation.complete(value);
			}
			catch (RunlayerBlockedException ex) {
				return feedback(ex);
			}
			return (released instanceof String text) ? text : json.writeValueAsString(released);
		}

		private Object toValue(String output) {
			// MethodToolCallback answers JSON text; send Runlayer the value, not JSON-in-a-string.
			try {
				JsonNode node = json.readTree(output);
				return node.isString() ? node.stringValue() : json.treeToValue(node, Object.class);
			}
			catch (RuntimeException ex) {
				return output;
			}
		}

		private String sessionId(ToolContext toolContext) {
			if (toolContext != null && toolContext.getContext().get(SESSION_ID_KEY) instanceof String id) {
				return id;
			}
			return RunlayerSession.current().orElse(null);
		}

		private String feedback(RunlayerBlockedException ex) {
			return "Blocked by Runlayer policy" + (ex.outage() ? " (Runlayer unavailable, fail-closed)" : "") + ": "
					+ ex.reason();
		}

	}

}
