package com.runlayer.spring.boot;

import com.runlayer.sdk.PreflightResult;
import com.runlayer.spring.actuate.RunlayerEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native image hints for what the starter reads as a resource or reflectively.
 */
class RunlayerRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void isRegisteredInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(RunlayerRuntimeHints.class);
	}

	@Test
	void theSdkVersionResourceIsIncluded() {
		new RunlayerRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("com/runlayer/sdk/runlayer-sdk.properties"))
			.accepts(this.hints);
		assertThat(getClass().getClassLoader().getResource(RunlayerRuntimeHints.SDK_PROPERTIES)).isNotNull();
	}

	@Test
	void preflightAndActuatorAnswersCanBeWrittenAsJson() {
		new RunlayerRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PreflightResult.class, "sessionId"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(RunlayerEndpoint.RunlayerDescriptor.class, "baseUrl")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RunlayerEndpoint.ToolDescriptor.class, "name"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RunlayerEndpoint.SentEvent.class, "eventName"))
			.accepts(this.hints);
	}

}
