package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import com.runlayer.sdk.RunlayerClient;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Wraps Spring AI tool callbacks in {@link RunlayerToolCallback}s and tells a listener of each wrapped one (e.g. to
 * list it in the actuator endpoint): the one place the tool calling manager, the resolver and the advisor
 * decorators do it. Thread-safe.
 */
final class ToolCallbackWrapper {

	private final RunlayerClient client;

	private final RunlayerToolCallbacks.Options options;

	private final Consumer<RunlayerToolCallback> toolSeen;

	/**
	 * Creates the wrapper.
	 * @param client the Runlayer client
	 * @param options the wrapper options
	 * @param toolSeen called with each wrapped callback; must be fast and not throw
	 */
	ToolCallbackWrapper(RunlayerClient client, RunlayerToolCallbacks.Options options,
			Consumer<RunlayerToolCallback> toolSeen) {
		this.client = Objects.requireNonNull(client, "client");
		this.options = Objects.requireNonNull(options, "options");
		this.toolSeen = Objects.requireNonNull(toolSeen, "toolSeen");
	}

	RunlayerToolCallbacks.Options options() {
		return this.options;
	}

	/**
	 * Wraps one callback (one that already is a {@link RunlayerToolCallback} stays as it is) and reports it.
	 * @param callback the callback
	 * @return the wrapped callback
	 */
	ToolCallback wrap(ToolCallback callback) {
		ToolCallback wrapped = RunlayerToolCallbacks.wrap(this.client, this.options, callback);
		if (wrapped instanceof RunlayerToolCallback runlayer) {
			this.toolSeen.accept(runlayer);
		}
		return wrapped;
	}

	/**
	 * The prompt with its tool callbacks wrapped and reported.
	 * @param prompt the prompt
	 * @return a prompt whose options carry the wrapped callbacks, or the same prompt when it carries none
	 */
	Prompt wrapTools(Prompt prompt) {
		if (!(prompt.getOptions() instanceof ToolCallingChatOptions options) || options.getToolCallbacks() == null
				|| options.getToolCallbacks().isEmpty()) {
			return prompt;
		}
		List<ToolCallback> wrapped = new ArrayList<>(options.getToolCallbacks().size());
		for (ToolCallback callback : options.getToolCallbacks()) {
			wrapped.add(wrap(callback));
		}
		// toolCallbacks(List) replaces the list; the varargs variant would append to it.
		ToolCallingChatOptions rewritten = options.mutate().toolCallbacks(wrapped).build();
		return prompt.mutate().chatOptions(rewritten).build();
	}

}
