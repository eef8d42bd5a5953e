package com.runlayer.spring.ai;

import java.util.Objects;
import java.util.function.Consumer;

import com.runlayer.sdk.RunlayerClient;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;

/**
 * A {@link ToolCallbackResolver} decorator that wraps every callback it resolves in a {@link RunlayerToolCallback}.
 * Spring AI's tool calling manager asks its resolver for a tool the model named but the request did not carry
 * (with {@code spring.ai.tools.resolution.fallback.enabled=true}); such tools are enforced like the request's own.
 * Thread-safe.
 */
public final class RunlayerToolCallbackResolver implements ToolCallbackResolver {

	private final ToolCallbackResolver delegate;

	private final ToolCallbackWrapper wrapper;

	/**
	 * Creates the decorator.
	 * @param delegate the resolver that finds the tools
	 * @param client the Runlayer client
	 * @param options the wrapper options
	 * @param toolSeen called with each resolved, wrapped callback (e.g. to list it in the actuator endpoint); must be
	 * fast and not throw
	 */
	public RunlayerToolCallbackResolver(ToolCallbackResolver delegate, RunlayerClient client,
			RunlayerToolCallbacks.Options options, Consumer<RunlayerToolCallback> toolSeen) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		this.wrapper = new ToolCallbackWrapper(client, options, toolSeen);
	}

	@Override
	public @Nullable ToolCallback resolve(String toolName) {
		ToolCallback resolved = this.delegate.resolve(toolName);
		return (resolved != null) ? this.wrapper.wrap(resolved) : null;
	}

	/**
	 * The decorated resolver.
	 * @return the delegate
	 */
	public ToolCallbackResolver getDelegate() {
		return this.delegate;
	}

}
