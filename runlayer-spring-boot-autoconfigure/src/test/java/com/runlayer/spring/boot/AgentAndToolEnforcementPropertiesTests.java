package com.runlayer.spring.boot;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.enforcement.ToolEnforcementPredicate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code runlayer.agent.*} and {@code runlayer.tool-enforcement.*} properties and {@link ToolEnforcementPredicate}
 * beans reach the auto-configured client.
 */
class AgentAndToolEnforcementPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class))
		.withPropertyValues("runlayer.base-url=https://tenant.runlayer.com");

	@Test
	void agentPropertiesConfigureOnBehalfOfAuthentication() {
		this.runner
			.withPropertyValues("runlayer.agent.client-id=client_1", "runlayer.agent.client-secret=agent-secret-value",
					"runlayer.agent.subject-token=user@example.com",
					"runlayer.agent.subject-token-type=urn:runlayer:token-type:user-email")
			.run((context) -> {
				assertThat(context).hasSingleBean(RunlayerClient.class);
				RunlayerClient client = context.getBean(RunlayerClient.class);
				assertThat(client.authMode()).isEqualTo(AuthMode.AGENT_OBO);
				assertThat(client.toString()).doesNotContain("agent-secret-value", "user@example.com");
			});
	}

	@Test
	void anApiKeyAndAgentCredentialsTogetherFailStartup() {
		this.runner
			.withPropertyValues("runlayer.api-key=rl_user_key", "runlayer.agent.client-id=client_1",
					"runlayer.agent.client-secret=agent-secret-value")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(RunlayerConfigurationException.class)
					.hasMessageContaining("RUNLAYER_API_KEY");
				assertThat(context.getStartupFailure()).rootCause()
					.message()
					.doesNotContain("agent-secret-value", "rl_user_key");
			});
	}

	@Test
	void anUnknownSubjectTokenTypeFailsStartupListingTheThreeTypes() {
		this.runner
			.withPropertyValues("runlayer.agent.client-id=client_1", "runlayer.agent.client-secret=agent-secret-value",
					"runlayer.agent.subject-token=user@example.com", "runlayer.agent.subject-token-type=email")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("urn:runlayer:token-type:user-id")
				.hasMessageContaining("urn:runlayer:token-type:user-email")
				.hasMessageContaining("urn:ietf:params:oauth:token-type:access_token"));
	}

	@Test
	void toolEnforcementPropertiesAndPredicateBeansReachTheClient() {
		this.runner
			.withPropertyValues("runlayer.api-key=rl_user_key",
					"runlayer.tool-enforcement.ignored-mcp-server-names=github-preview",
					"runlayer.tool-enforcement.ignored-tool-names=localHealthcheck",
					"runlayer.tool-enforcement.skip-runlayer-self-mcp=false")
			.withBean(ToolEnforcementPredicate.class, () -> (tool) -> !"internal".equals(tool.toolType()))
			.run((context) -> {
				RunlayerClient client = context.getBean(RunlayerClient.class);
				assertThat(client.shouldEnforceTool(new ToolDescriptor("list", "mcp", "github-preview", null))).isFalse();
				assertThat(client.shouldEnforceTool(ToolDescriptor.of("localHealthcheck"))).isFalse();
				assertThat(client.shouldEnforceTool(new ToolDescriptor("lookup", "internal", null, null))).isFalse();
				assertThat(client.shouldEnforceTool(new ToolDescriptor("search", "mcp", "runlayer", null))).isTrue();
				assertThat(client.shouldEnforceTool(new ToolDescriptor("x", "mcp", "acme",
						"https://tenant.runlayer.com/api/v1/proxy/id/mcp"))).isFalse();
			});
	}

	@Test
	void theDirectMcpSourcePathPropertyReachesTheClient() {
		this.runner
			.withPropertyValues("runlayer.api-key=rl_user_key",
					"runlayer.direct-mcp-source-enforcement-path=/api/v1/hooks/cursor")
			.run((context) -> assertThat(context.getBean(RunlayerClient.class).directMcpSourceEnforcementPath())
				.isEqualTo("/api/v1/hooks/cursor"));
	}

}
