package com.runlayer.spring.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds a {@link RunlayerTestContextCustomizer} to the contexts of test classes annotated with
 * {@link AutoConfigureRunlayer} (on the class, a superclass or an enclosing class); other tests get nothing. Registered
 * in {@code META-INF/spring.factories}, which only Spring's test framework reads.
 */
class RunlayerTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureRunlayer annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureRunlayer.class);
		return (annotation != null) ? new RunlayerTestContextCustomizer(List.of(annotation.scripts()),
				annotation.agentAccount()) : null;
	}

}
