package com.runlayer.spring.test;

import com.runlayer.sdk.RunlayerClient;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets the {@link RunlayerTestServer} of a test annotated with {@link AutoConfigureRunlayer} before each test
 * method, and the client's circuit breakers, so that scripts, recorded requests and outages never leak from one test
 * into the next. Does nothing for other tests.
 * Registered in {@code META-INF/spring.factories}, which only Spring's test framework reads.
 */
class RunlayerTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(), AutoConfigureRunlayer.class) == null) {
			return;
		}
		var context = testContext.getApplicationContext();
		if (context.containsBean(RunlayerTestContextCustomizer.BEAN_NAME)) {
			context.getBean(RunlayerTestContextCustomizer.BEAN_NAME, RunlayerTestServer.class).reset();
			// outages scripted by an earlier test must not leave a circuit breaker open for this one
			context.getBeanProvider(RunlayerClient.class).ifAvailable(RunlayerClient::resetCircuitBreakers);
		}
	}

	@Override
	public int getOrder() {
		// before the dependency injection listener's neighbours run test code, after context loading
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

}
