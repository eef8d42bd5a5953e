package com.runlayer.spring.aop;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import com.runlayer.sdk.RunlayerClient;
import org.aopalliance.aop.Advice;

import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.aop.support.annotation.AnnotationClassFilter;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

/**
 * The Spring AOP advisor that enforces {@link RunlayerTool} methods: a pointcut matching methods annotated with
 * {@code @RunlayerTool} and the public methods of classes annotated with it, and the enforcing interceptor. Like
 * {@code @Transactional}'s advisor it needs no AspectJ weaver; any auto-proxy creator applies it (Spring Boot's
 * {@code AopAutoConfiguration} registers one, and so does the Runlayer auto-configuration when none is present).
 *
 * <p>Its {@link #getOrder() order} places it among other advisors of the same bean: the default
 * {@link #DEFAULT_ORDER} runs it outside (before) {@code @Transactional}, whose advisor has the lowest precedence,
 * so a denied call never opens a transaction and a blocked output is seen after the transaction committed.
 * As a bean it is destroyed with the application context, which stops the threads it runs post-tool calls of
 * asynchronous tools on. Thread-safe.
 */
public final class RunlayerToolAdvisor extends AbstractPointcutAdvisor implements DisposableBean {

	private static final long serialVersionUID = 1L;

	/** The default order: {@code Ordered.LOWEST_PRECEDENCE - 1000}. */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	private final transient Pointcut pointcut;

	private final transient RunlayerToolInterceptor interceptor;

	/**
	 * Creates the advisor.
	 * @param client the client, resolved on the first enforced call
	 * @param sessionIdResolvers the session id resolvers, resolved on the first call that needs one
	 * @param order the advisor order, e.g. {@link #DEFAULT_ORDER}
	 */
	public RunlayerToolAdvisor(ObjectProvider<RunlayerClient> client,
			ObjectProvider<RunlayerSessionIdResolver> sessionIdResolvers, int order) {
		this(client, () -> new ToolCallIdentityResolver(null, () -> sessionIdResolvers.orderedStream().toList()),
				order);
	}

	/**
	 * Creates the advisor with the identity resolver shared by every entry path.
	 * @param client the client, resolved on the first enforced call
	 * @param identities the tool identity resolver, asked once on the first call; null answers mean
	 * {@link ToolCallIdentityResolver#defaults()}
	 * @param order the advisor order, e.g. {@link #DEFAULT_ORDER}
	 */
	public RunlayerToolAdvisor(ObjectProvider<RunlayerClient> client, Supplier<ToolCallIdentityResolver> identities,
			int order) {
		Pointcut classLevel = new ComposablePointcut(new AnnotationClassFilter(RunlayerTool.class, true),
				ClassLevelMethodMatcher.INSTANCE);
		Pointcut methodLevel = new AnnotationMatchingPointcut(null, RunlayerTool.class, true);
		this.pointcut = new ComposablePointcut(classLevel).union(methodLevel);
		this.interceptor = new RunlayerToolInterceptor(client, identities);
		setOrder(order);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	/**
	 * Stops the threads that run the post-tool calls of asynchronous tools ({@code CompletionStage} return types);
	 * called when the application context closes. A tool future that completes afterwards runs its post-tool call on
	 * the thread that completes it.
	 */
	@Override
	public void destroy() {
		this.interceptor.shutdown();
	}

	/**
	 * Matches the methods a class-level {@code @RunlayerTool} covers.
	 */
	private static final class ClassLevelMethodMatcher extends StaticMethodMatcher {

		static final MethodMatcher INSTANCE = new ClassLevelMethodMatcher();

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return ToolMethod.isClassLevelCandidate(method);
		}

		@Override
		public String toString() {
			return "RunlayerTool class-level public methods";
		}

	}

}
