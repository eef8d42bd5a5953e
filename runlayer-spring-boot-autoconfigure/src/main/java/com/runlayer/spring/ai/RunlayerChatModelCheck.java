package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Names, once, a {@code ChatClient} whose tools would run without Runlayer. It watches the chat model observations
 * Spring AI's models record (an {@link ObservationHandler}; Spring Boot registers handler beans with the application's
 * {@code ObservationRegistry}): when a request reaches the model with a tool callback that is not a
 * {@link RunlayerToolCallback}, the {@link RunlayerAdvisor} was not on its {@code ChatClient} and nothing wrapped its
 * tools, so a {@code ChatClient.builder(chatModel)} runs them with its own tool calling manager, unenforced. One WARN
 * names the tools and the fix; after it the check does nothing.
 *
 * <p>It only observes and never changes a request. It sees nothing when the model records no observations (a model
 * built without the application's {@code ObservationRegistry}). Thread-safe.
 */
public final class RunlayerChatModelCheck implements ObservationHandler<ChatModelObservationContext> {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerChatModelCheck.class);

	private volatile boolean warned;

	@Override
	public boolean supportsContext(Observation.Context context) {
		return !this.warned && context instanceof ChatModelObservationContext;
	}

	@Override
	public void onStart(ChatModelObservationContext context) {
		check(context.getRequest());
	}

	/**
	 * Looks at one request that reaches the model.
	 * @param prompt the request
	 */
	void check(Prompt prompt) {
		if (this.warned) {
			return;
		}
		List<String> tools = unwrappedTools(prompt);
		if (!tools.isEmpty()) {
			this.warned = true;
			logger.warn("Runlayer: a chat request reached the model with tools {} that RunlayerAdvisor did not wrap."
					+ " A ChatClient built by hand (ChatClient.builder(chatModel)) runs them WITHOUT Runlayer"
					+ " enforcement. Fix: build it from the auto-configured ChatClient.Builder, add the RunlayerAdvisor"
					+ " bean (defaultAdvisors(runlayerAdvisor, runlayerAdvisor.turnRecorder())), or wrap its tools with"
					+ " RunlayerToolCallbacks.wrap(runlayerClient, ...). Logged once.", tools);
		}
	}

	/**
	 * Whether the check has warned.
	 * @return true once a request with unenforced tools was seen
	 */
	public boolean warned() {
		return this.warned;
	}

	static List<String> unwrappedTools(Prompt prompt) {
		List<String> names = new ArrayList<>();
		if (prompt != null && prompt.getOptions() instanceof ToolCallingChatOptions options
				&& options.getToolCallbacks() != null) {
			for (ToolCallback callback : options.getToolCallbacks()) {
				if (callback != null && !(DecoratedCallbacks.innermost(callback) instanceof RunlayerToolCallback)) {
					names.add(callback.getToolDefinition().name());
				}
			}
		}
		return names;
	}

}
