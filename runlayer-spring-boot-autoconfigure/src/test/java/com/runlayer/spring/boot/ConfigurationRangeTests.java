package com.runlayer.spring.boot;

import java.util.stream.Stream;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers are range-checked where they enter: a value over its documented maximum fails startup with a
 * {@link RunlayerConfigurationException} naming the property, the maximum itself is accepted.
 */
class ConfigurationRangeTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class))
		.withPropertyValues("runlayer.base-url=https://tenant.runlayer.com", "runlayer.api-key=rl_range_key");

	static Stream<Arguments> limits() {
		return Stream.of(Arguments.of("runlayer.timeout", "10m", "109500d"),
				Arguments.of("runlayer.timeout", "10m", "601s"),
				Arguments.of("runlayer.max-tool-output-bytes", "64MB", "65MB"),
				Arguments.of("runlayer.max-tool-input-bytes", "64MB", "1TB"),
				Arguments.of("runlayer.max-response-bytes", "64MB", "8000000TB"),
				Arguments.of("runlayer.events.max-field-bytes", "64MB", "65MB"),
				Arguments.of("runlayer.events.queue-max-bytes", "1GB", "2GB"),
				Arguments.of("runlayer.events.queue-capacity", "1000000", "1000001"),
				Arguments.of("runlayer.events.shutdown-timeout", "10m", "3650d"),
				// per-tool budgets have the bound of runlayer.timeout
				Arguments.of("runlayer.tools.Bash.pre-timeout", "10m", "109500d"),
				Arguments.of("runlayer.tools.Bash.post-timeout", "10m", "601s"));
	}

	@org.junit.jupiter.api.Test
	void aToolTimeoutThatIsNotPositiveFailsStartupNamingTheToolsProperty() {
		for (String property : new String[] { "runlayer.tools.Bash.pre-timeout", "runlayer.tools.Bash.post-timeout" }) {
			this.runner.withPropertyValues(property + "=0s").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(RunlayerConfigurationException.class)
					.hasMessageContaining(property);
			});
		}
	}

	@ParameterizedTest(name = "{0}: {1} accepted, {2} refused")
	@MethodSource("limits")
	void aNumberOverItsMaximumFailsStartupNamingTheProperty(String property, String maximum, String over) {
		this.runner.withPropertyValues(property + "=" + maximum)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RunlayerClient.class));
		this.runner.withPropertyValues(property + "=" + over).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(RunlayerConfigurationException.class)
				.hasMessageContaining(property);
		});
	}

}
