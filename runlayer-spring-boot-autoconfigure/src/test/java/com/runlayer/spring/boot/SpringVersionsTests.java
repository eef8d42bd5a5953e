package com.runlayer.spring.boot;

import org.junit.jupiter.api.Test;

import org.springframework.ai.model.ModelOptions;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests run against the Spring Boot version the build selected (4.0.x by default, 4.1.x with {@code -Pboot41}),
 * and print it, with Spring Framework and Spring AI, so that the build log shows which combination passed.
 */
class SpringVersionsTests {

	@Test
	void testsRunAgainstTheSelectedSpringBootVersion() {
		String expected = System.getProperty("runlayer.expected.spring-boot.version");
		String boot = SpringBootVersion.getVersion();
		String ai = ModelOptions.class.getPackage().getImplementationVersion();
		System.out.println("Tested against Spring Boot " + boot + ", Spring Framework " + SpringVersion.getVersion()
				+ ", Spring AI " + ai);
		assertThat(expected).as("system property set by the build").isNotBlank();
		assertThat(boot).isEqualTo(expected);
		assertThat(ai).startsWith("2.0.");
	}

}
