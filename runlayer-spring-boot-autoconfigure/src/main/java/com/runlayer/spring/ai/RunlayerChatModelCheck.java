package com.runlayer.spring.ai;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Names, once, a {@code ChatClient} whose tools would run without Runlayer: an advisor on the application's
 * {@link ChatModel} beans that looks at the first requests carrying tools. When a request reaches the model with a
 * tool callback that is not a {@link RunlayerToolCallback}, the {@link RunlayerAdvisor} was not on its
 * {@code ChatClient} and nothing wrapped its tools; a {@code ChatClient.builder(chatModel)} then runs them with its own
 * tool calling manager, unenforced. One WARN names the tools and the fix; after it the check is a no-op.
 *
 * <p>It only observes: the request is passed on unchanged. Applied to non-final {@code ChatModel} bean classes only
 * (the auto-configuration leaves it out with interface proxies, {@code spring.aop.proxy-target-class=false}, so that
 * injecting a model by its class keeps working). Thread-safe.
 */
public final class RunlayerChatModelCheck extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private static final Logger logger = LoggerFactory.getLogger(RunlayerChatModelCheck.class);

	private final transient Pointcut pointcut = new ModelCallPointcut();

	private final transient Interceptor interceptor = new Interceptor();

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	/**
	 * Whether the check has warned.
	 * @return true once a request with unenforced tools was seen
	 */
	public boolean warned() {
		return this.interceptor.warned;
	}

	static List<String> unwrappedTools(Prompt prompt) {
		List<String> names = new ArrayList<>();
		if (prompt != null && prompt.getOptions() instanceof ToolCallingChatOptions options
				&& options.getToolCallbacks() != null) {
			for (ToolCallback callback : options.getToolCallbacks()) {
				if (callback != null && !(callback instanceof RunlayerToolCallback)) {
					names.add(callback.getToolDefinition().name());
				}
			}
		}
		return names;
	}

	private static final class Interceptor implements MethodInterceptor {

		private volatile boolean warned;

		@Override
		public Object invoke(MethodInvocation invocation) throws Throwable {
			if (!this.warned && invocation.getArguments().length == 1
					&& invocation.getArguments()[0] instanceof Prompt prompt) {
				List<String> tools = unwrappedTools(prompt);
				if (!tools.isEmpty()) {
					this.warned = true;
					logger.warn("Runlayer: a chat request reached the model with tools {} that RunlayerAdvisor did not"
							+ " wrap. A ChatClient built by hand (ChatClient.builder(chatModel)) runs them WITHOUT"
							+ " Runlayer enforcement. Fix: build it from the auto-configured ChatClient.Builder, add the"
							+ " RunlayerAdvisor bean (defaultAdvisors(runlayerAdvisor, runlayerAdvisor.turnRecorder())),"
							+ " or wrap its tools with RunlayerToolCallbacks.wrap(runlayerClient, ...). Logged once.",
							tools);
				}
			}
			return invocation.proceed();
		}

	}

	private static final class ModelCallPointcut extends StaticMethodMatcherPointcut {

		ModelCallPointcut() {
			setClassFilter(new ClassFilter() {

				@Override
				public boolean matches(Class<?> clazz) {
					return ChatModel.class.isAssignableFrom(clazz) && !Modifier.isFinal(clazz.getModifiers())
							&& !clazz.isSynthetic();
				}

			});
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return (method.getName().equals("call") || method.getName().equals("stream"))
					&& method.getParameterCount() == 1 && method.getParameterTypes()[0] == Prompt.class
					&& !Modifier.isFinal(method.getModifiers());
		}

	}

}
