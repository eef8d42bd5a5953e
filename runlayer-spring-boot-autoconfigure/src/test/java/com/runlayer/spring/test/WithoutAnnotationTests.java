package com.runlayer.spring.test;

import java.util.List;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.test.AgentFixtures.ToolApp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing of the test support is active without {@code @AutoConfigureRunlayer}: a test without it, and an application
 * started outside tests, keep their configured Runlayer and have no test server.
 */
@SpringBootTest(classes = ToolApp.class, properties = { "runlayer.base-url=https://tenant.runlayer.example",
		"runlayer.api-key=rl_configured_key" })
class WithoutAnnotationTests {

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	RunlayerClient client;

	@Test
	void testWithoutTheAnnotationKeepsItsConfiguredRunlayer() {
		assertThat(this.context.getBeansOfType(RunlayerTestServer.class)).isEmpty();
		assertThat(this.client.baseUrl()).isEqualTo("https://tenant.runlayer.example");
		assertThat(this.context.getEnvironment().getPropertySources()
			.contains(RunlayerTestContextCustomizer.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(new RunlayerTestContextCustomizerFactory().createContextCustomizer(WithoutAnnotationTests.class,
				List.of())).isNull();
	}

	@Test
	void applicationStartedOutsideTestsHasNoTestServer() {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ToolApp.class)
			.web(WebApplicationType.NONE)
			.properties("runlayer.base-url=https://tenant.runlayer.example", "runlayer.api-key=rl_configured_key")
			.run()) {
			ConfigurableEnvironment environment = app.getEnvironment();
			assertThat(app.getBeansOfType(RunlayerTestServer.class)).isEmpty();
			assertThat(environment.getPropertySources().contains(RunlayerTestContextCustomizer.PROPERTY_SOURCE_NAME))
				.isFalse();
			assertThat(app.getBean(RunlayerClient.class).baseUrl()).isEqualTo("https://tenant.runlayer.example");
		}
	}

	@Test
	void annotatedTestClassesGetACustomizerKeyedByTheirSettings() {
		var factory = new RunlayerTestContextCustomizerFactory();
		assertThat(factory.createContextCustomizer(AutoConfigureRunlayerTests.class, List.of()))
			.isEqualTo(new RunlayerTestContextCustomizer(List.of(), false))
			.isNotEqualTo(factory.createContextCustomizer(AgentAccountAndScriptsTests.class, List.of()));
	}

}
