package com.runlayer.spring.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.enforcement.ToolDescriptor;

import org.aopalliance.aop.Advice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Checks every bean with {@link RunlayerTool} methods when it is created, so that nothing silently escapes
 * enforcement: a method that cannot be a tool (e.g. parameter names missing) fails the bean's creation with a
 * message naming the method; a method the proxy cannot intercept (private, static or final, a final class, a
 * method missing from the interfaces of a JDK proxy, a bean that was not proxied) is logged at WARN; after startup
 * one INFO line lists the enforced tools (name, bean, method), and each enforced tool is handed to an optional
 * listener (the auto-configuration records them for the actuator endpoint).
 *
 * <p>Register it as a {@code static} bean, after the auto-proxy creator (it is not {@code Ordered}, so it runs after
 * the proxy creators).
 */
public final class RunlayerToolStartupCheck implements BeanPostProcessor, SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerToolStartupCheck.class);

	private final List<String> enforced = new ArrayList<>();

	// Prototype beans are checked and reported once per bean name, not on every instance.
	private final Set<String> checkedBeans = ConcurrentHashMap.newKeySet();

	private final BiConsumer<ToolCallIdentity, String> enforcedTools;

	private final Supplier<ToolCallIdentityResolver> identities;

	private boolean started;

	/**
	 * Creates the check.
	 */
	public RunlayerToolStartupCheck() {
		this(null);
	}

	/**
	 * Creates the check with a listener for the enforced tools.
	 * @param enforcedTools called once per enforced tool method with the tool and its origin
	 * ({@code beanName#methodName}); may be null. It must not throw; a failure is logged and ignored.
	 */
	public RunlayerToolStartupCheck(BiConsumer<ToolDescriptor, String> enforcedTools) {
		this(ToolCallIdentityResolver::defaults,
				(enforcedTools != null) ? (identity, detail) -> enforcedTools.accept(identity.descriptor(), detail)
						: null);
	}

	/**
	 * Creates the check with the identity resolver shared by every entry path and a listener for the enforced tools.
	 * @param identities the tool identity resolver (asked when a tool bean is checked)
	 * @param enforcedTools called once per enforced tool method with its resolved identity and its origin
	 * ({@code beanName#methodName}); may be null. It must not throw; a failure is logged and ignored.
	 */
	public RunlayerToolStartupCheck(Supplier<ToolCallIdentityResolver> identities,
			BiConsumer<ToolCallIdentity, String> enforcedTools) {
		this.identities = identities;
		this.enforcedTools = enforcedTools;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> beanClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
		if (this.checkedBeans.contains(beanName) || !AnnotationUtils.isCandidateClass(beanClass, RunlayerTool.class)) {
			return bean;
		}
		Map<Method, RunlayerTool> tools = MethodIntrospector.selectMethods(beanClass,
				(MethodIntrospector.MetadataLookup<RunlayerTool>) (method) -> ToolMethod.findAnnotation(method,
						beanClass));
		if (tools.isEmpty()) {
			return bean;
		}
		Advised proxy = runlayerProxy(bean);
		List<String> found = new ArrayList<>();
		tools.forEach((method, annotation) -> {
			String problem = interceptionProblem(bean, beanClass, method, proxy);
			if (problem != null) {
				logger.warn("@RunlayerTool method {} of bean '{}' is NOT enforced: {}", ToolMethod.describe(method),
						beanName, problem);
				return;
			}
			ToolCallIdentityResolver resolver = this.identities.get();
			ToolMethod tool = ToolMethod.describe(method, beanClass, annotation,
					(resolver != null) ? resolver : ToolCallIdentityResolver.defaults());
			found.add(tool.toolName + " (" + beanName + "." + method.getName() + ")");
			notifyEnforced(tool.identity, beanName + "#" + method.getName());
		});
		found.sort(null);
		this.checkedBeans.add(beanName);
		synchronized (this.enforced) {
			if (this.started) {
				if (!found.isEmpty()) {
					logger.info("Runlayer enforces @RunlayerTool methods of bean '{}': {}", beanName,
							String.join(", ", found));
				}
			}
			else {
				this.enforced.addAll(found);
			}
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		synchronized (this.enforced) {
			this.started = true;
			if (!this.enforced.isEmpty()) {
				logger.info("Runlayer enforces {} @RunlayerTool method(s): {}", this.enforced.size(),
						String.join(", ", this.enforced));
			}
			this.enforced.clear();
		}
	}

	private void notifyEnforced(ToolCallIdentity tool, String detail) {
		if (this.enforcedTools == null) {
			return;
		}
		try {
			this.enforcedTools.accept(tool, detail);
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer could not record enforced tool '{}'", tool.toolName(), ex);
		}
	}

	private static String interceptionProblem(Object bean, Class<?> beanClass, Method method, Advised proxy) {
		int modifiers = method.getModifiers();
		if (Modifier.isPrivate(modifiers)) {
			return "it is private and Spring AOP cannot intercept it";
		}
		if (Modifier.isStatic(modifiers)) {
			return "it is static and Spring AOP cannot intercept it";
		}
		if (proxy == null) {
			if (Modifier.isFinal(beanClass.getModifiers())) {
				return "the bean class is final and has no interface declaring the method, so it cannot be proxied";
			}
			return "the bean is not proxied by the Runlayer advisor (was it created before the auto-proxy creator,"
					+ " e.g. by a BeanPostProcessor dependency, or replaced after proxying?)";
		}
		if (AopUtils.isJdkDynamicProxy(bean)) {
			for (Class<?> proxied : proxy.getProxiedInterfaces()) {
				if (ClassUtils.hasMethod(proxied, method.getName(), method.getParameterTypes())) {
					return null;
				}
			}
			return "the bean is a JDK interface proxy and no interface declares the method; declare it on an"
					+ " interface or use class proxies (spring.aop.proxy-target-class=true)";
		}
		if (Modifier.isFinal(modifiers)) {
			return "it is final and a class proxy cannot override it";
		}
		return null;
	}

	private static Advised runlayerProxy(Object bean) {
		if (bean instanceof Advised advised) {
			for (Advisor advisor : advised.getAdvisors()) {
				Advice advice = advisor.getAdvice();
				if (advisor instanceof RunlayerToolAdvisor || advice instanceof RunlayerToolInterceptor) {
					return advised;
				}
			}
		}
		return null;
	}

}
