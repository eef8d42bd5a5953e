package com.runlayer.spring.ai;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import com.runlayer.sdk.RunlayerClient;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * A {@link ToolCallingManager} decorator that wraps each request's tool callbacks in {@link RunlayerToolCallback}s
 * before the delegate executes them, so every tool call Spring AI runs (method, function and MCP tools) is enforced.
 * Tool call limits, observations and the exception processor of the delegate stay in place. Thread-safe.
 */
public final class RunlayerToolCallingManager implements ToolCallingManager {

	private final ToolCallingManager delegate;

	private final ToolCallbackWrapper wrapper;

	/**
	 * Creates the decorator.
	 * @param delegate the manager that executes the tools
	 * @param client the Runlayer client
	 * @param options the wrapper options
	 */
	public RunlayerToolCallingManager(ToolCallingManager delegate, RunlayerClient client,
			RunlayerToolCallbacks.Options options) {
		this(delegate, client, options, (callback) -> {
		});
	}

	/**
	 * Creates the decorator with a listener told of every tool a request offers (e.g. to list the enforced tools in
	 * the actuator endpoint).
	 * @param delegate the manager that executes the tools
	 * @param client the Runlayer client
	 * @param options the wrapper options
	 * @param toolSeen called with each wrapped callback of a request that executes tools; must be fast and not throw
	 */
	public RunlayerToolCallingManager(ToolCallingManager delegate, RunlayerClient client,
			RunlayerToolCallbacks.Options options, Consumer<RunlayerToolCallback> toolSeen) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		this.wrapper = new ToolCallbackWrapper(client, options, toolSeen);
	}

	@Override
	public List<ToolDefinition> resolveToolDefinitions(ToolCallingChatOptions chatOptions) {
		return this.delegate.resolveToolDefinitions(chatOptions);
	}

	@Override
	public ToolExecutionResult executeToolCalls(Prompt prompt, ChatResponse chatResponse) {
		return this.delegate.executeToolCalls(this.wrapper.wrapTools(prompt), chatResponse);
	}

	/**
	 * The decorated manager.
	 * @return the delegate
	 */
	public ToolCallingManager getDelegate() {
		return this.delegate;
	}

}
