package com.runlayer.spring.ai;

import java.util.List;
import java.util.Map;

import com.runlayer.sdk.RunlayerClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.mcp.McpConnectionInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transcript lines from the places Spring AI 2.0.1 providers put reasoning, and the MCP connection-name rules.
 */
class RunlayerTranscriptsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static JsonNode line(AssistantMessage message) {
		return JSON.readTree(RunlayerTranscripts.assistantMessageLine(message, "s1", "m1"));
	}

	@Test
	void openAiReasoningContentBecomesAThinkingBlockBeforeTheText() {
		JsonNode line = line(AssistantMessage.builder()
			.content("42")
			.properties(Map.of("reasoningContent", "think hard"))
			.build());
		assertThat(line.get("type").stringValue()).isEqualTo("assistant");
		assertThat(line.at("/message/model").stringValue()).isEqualTo("m1");
		assertThat(line.at("/message/id").stringValue()).startsWith("msg_");
		assertThat(line.at("/message/content/0/type").stringValue()).isEqualTo("thinking");
		assertThat(line.at("/message/content/0/thinking").stringValue()).isEqualTo("think hard");
		assertThat(line.at("/message/content/1/type").stringValue()).isEqualTo("text");
		assertThat(line.at("/message/content/1/text").stringValue()).isEqualTo("42");
	}

	@Test
	void ollamaAndMistralThinkingMetadataAreReasoning() {
		assertThat(line(AssistantMessage.builder().content("a").properties(Map.of("thinking", "ollama thought")).build())
			.at("/message/content/0/thinking")
			.stringValue()).isEqualTo("ollama thought");
		assertThat(line(AssistantMessage.builder()
			.content("a")
			.properties(Map.of("thinking_content", "mistral thought"))
			.build()).at("/message/content/0/thinking").stringValue()).isEqualTo("mistral thought");
	}

	@Test
	void anthropicThinkingGenerationKeepsItsSignatureAndRedactedThinkingItsData() {
		JsonNode thinking = line(AssistantMessage.builder()
			.content("let me see")
			.properties(Map.of("signature", "sig-1"))
			.build());
		assertThat(thinking.at("/message/content").size()).isEqualTo(1);
		assertThat(thinking.at("/message/content/0/type").stringValue()).isEqualTo("thinking");
		assertThat(thinking.at("/message/content/0/thinking").stringValue()).isEqualTo("let me see");
		assertThat(thinking.at("/message/content/0/signature").stringValue()).isEqualTo("sig-1");
		JsonNode redacted = line(AssistantMessage.builder().properties(Map.of("data", "opaque")).build());
		assertThat(redacted.at("/message/content/0/type").stringValue()).isEqualTo("redacted_thinking");
		assertThat(redacted.at("/message/content/0/data").stringValue()).isEqualTo("opaque");
	}

	@Test
	void googleThoughtPartIsThinking() {
		JsonNode line = line(AssistantMessage.builder().content("pondering").properties(Map.of("isThought", true)).build());
		assertThat(line.at("/message/content").size()).isEqualTo(1);
		assertThat(line.at("/message/content/0/thinking").stringValue()).isEqualTo("pondering");
	}

	@Test
	void chatResponseLinesSkipEmptyGenerationsAndCarryIdModelAndUsage() {
		ChatResponse response = ChatResponse.builder()
			.generations(List.of(new Generation(AssistantMessage.builder().content("").build()),
					new Generation(AssistantMessage.builder().content("hi").build())))
			.metadata(ChatResponseMetadata.builder()
				.id("r1")
				.model("gpt-x")
				.usage(new org.springframework.ai.chat.metadata.DefaultUsage(3, 4))
				.build())
			.build();
		List<String> lines = RunlayerTranscripts.chatResponseLines(response, "s1", "fallback");
		assertThat(lines).hasSize(1);
		JsonNode line = JSON.readTree(lines.get(0));
		assertThat(line.at("/message/id").stringValue()).isEqualTo("r1");
		assertThat(line.at("/message/model").stringValue()).isEqualTo("gpt-x");
		assertThat(line.at("/message/usage/input_tokens").asInt()).isEqualTo(3);
		assertThat(line.at("/message/usage/output_tokens").asInt()).isEqualTo(4);
	}

	@Test
	void eachGenerationOfOneResponseHasItsOwnMessageId() {
		ChatResponse response = ChatResponse.builder()
			.generations(List.of(new Generation(AssistantMessage.builder().content("first choice").build()),
					new Generation(AssistantMessage.builder().content("second choice").build()),
					new Generation(AssistantMessage.builder().content("third choice").build())))
			.metadata(ChatResponseMetadata.builder().id("r2").model("gpt-x").build())
			.build();
		List<String> lines = RunlayerTranscripts.chatResponseLines(response, "s1", null);
		assertThat(lines).extracting((line) -> JSON.readTree(line).at("/message/id").stringValue())
			.containsExactly("r2", "r2_1", "r2_2");
	}

	@Test
	void mcpConnectionNameIsTheTitleElseTheClientNameWithoutThePrefix() {
		McpToolSources sources = new McpToolSources((name) -> new McpServerInfo(name, "https://mcp.example/" + name, null));
		RunlayerMcpToolNamePrefixGenerator generator = new RunlayerMcpToolNamePrefixGenerator(
				(info, tool) -> tool.name(), sources, "spring-ai-mcp-client");
		McpSchema.Tool tool = McpSchema.Tool.builder().name("list").inputSchema(Map.of("type", "object")).build();
		assertThat(generator.prefixedToolName(connection(McpSchema.Implementation.builder("spring-ai-mcp-client - github", "1.0").title("github").build()), tool)).isEqualTo("list");
		assertThat(sources.lookup("list")).isEqualTo(new McpServerInfo("github", "https://mcp.example/github", null));
		// async clients get no title
		assertThat(generator.connectionName(connection(McpSchema.Implementation.builder("spring-ai-mcp-client - jira", "1.0").build()))).isEqualTo("jira");
		assertThat(sources.lookup("unknown")).isNull();
	}

	@Test
	void sourceEnforcementIsOffWithAgentAuthenticationAndSaysWhy() {
		try (RunlayerClient agent = RunlayerClient.builder()
			.baseUrl("https://tenant.runlayer.com")
			.agentClientId("id")
			.agentClientSecret("secret")
			.directMcpSourceEnforcementPath("/api/v1/hooks/cursor")
			.build()) {
			assertThat(RunlayerToolCallbacks.mcpSourceEnforcementOffReason(agent,
					RunlayerToolCallbacks.Options.defaults()))
				.contains("agent-account authentication")
				.doesNotContain("secret");
		}
	}

	private static McpConnectionInfo connection(McpSchema.Implementation client) {
		return new McpConnectionInfo(null, client, null);
	}

}
