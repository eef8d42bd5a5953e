package com.runlayer.spring.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Ahead-of-time (GraalVM native image) support for beans with {@link RunlayerTool} methods: registers what the
 * interceptor reads reflectively at run time.
 *
 * <ul>
 * <li>each {@code @RunlayerTool} method for introspection, so that its parameter names (the keys of
 * {@code tool_input}) can be read;</li>
 * <li>binding hints for its parameter types and its return type (generics and {@code CompletableFuture} /
 * {@code Mono} element types included): Jackson writes them as the tool input and converts a rewrite
 * ({@code modified_args}) or a masked output ({@code modified_output}) back into them;</li>
 * <li>a JDK proxy for the bean's interfaces, for applications that use interface proxies
 * ({@code spring.aop.proxy-target-class=false}).</li>
 * </ul>
 *
 * <p>Registered in {@code META-INF/spring/aot.factories}.
 */
public final class RunlayerToolAotProcessor implements BeanRegistrationAotProcessor {

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		if (!AnnotationUtils.isCandidateClass(beanClass, RunlayerTool.class)) {
			return null;
		}
		Map<Method, RunlayerTool> tools = MethodIntrospector.selectMethods(beanClass,
				(MethodIntrospector.MetadataLookup<RunlayerTool>) (method) -> ToolMethod.findAnnotation(method,
						beanClass));
		if (tools.isEmpty()) {
			return null;
		}
		List<Method> methods = new ArrayList<>(tools.keySet());
		return (generationContext, code) -> registerHints(generationContext.getRuntimeHints(), beanClass, methods);
	}

	void registerHints(RuntimeHints hints, Class<?> beanClass, List<Method> methods) {
		for (Method method : methods) {
			hints.reflection().registerMethod(method, ExecutableMode.INTROSPECT);
			List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
			types.add(method.getGenericReturnType());
			this.bindings.registerReflectionHints(hints.reflection(), types.toArray(new Type[0]));
		}
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(beanClass, beanClass.getClassLoader());
		if (interfaces.length > 0) {
			hints.proxies().registerJdkProxy(AopProxyUtils.completeJdkProxyInterfaces(interfaces));
		}
	}

}
