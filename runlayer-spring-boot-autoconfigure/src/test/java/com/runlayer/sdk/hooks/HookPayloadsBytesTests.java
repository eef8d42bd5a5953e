package com.runlayer.sdk.hooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.runlayer.sdk.hooks.HookPayloads.ToolIdentity;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request body bytes: a body with large (truncated) values is written into an array of its exact size, and
 * those bytes are exactly what Jackson's {@code writeValueAsBytes} gives.
 */
class HookPayloadsBytesTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final HookPayloads payloads = new HookPayloads(this.mapper, "python-sdk", "1.0");

	private final OutputTruncator truncator = new OutputTruncator(this.mapper);

	private final ToolIdentity tool = new ToolIdentity("s1", "query", "function", "t1", null, null);

	@Test
	void bodyWithATruncatedTextOutputHasTheSameBytesAsJacksonWrites() {
		String text = "line \"quoted\" é € 😀 \t\n".repeat(20_000);
		BoundedJson input = this.truncator.bound(Map.of("sql", "select 1"), 65536, "tool_input");
		BoundedJson output = this.truncator.bound(text, 65536, "tool_response");
		assertThat(output.truncated()).isTrue();
		ObjectNode body = this.payloads.postToolUse(this.tool, input, output);
		assertThat(this.payloads.toBytes(body)).isEqualTo(this.mapper.writeValueAsBytes(body));
	}

	@Test
	void bodyWithALargeRawJsonValueAndATruncatedStructuredOutputHasTheSameBytesAsJacksonWrites() {
		Map<String, Object> args = new LinkedHashMap<>();
		for (int i = 0; i < 3000; i++) {
			args.put("k" + i, List.of(i, "v€" + i, true));
		}
		BoundedJson input = this.truncator.bound(args, 1 << 20, "tool_input");
		assertThat(input.truncated()).isFalse();
		BoundedJson output = this.truncator.bound(List.of(args, args, args), 65536, "tool_response");
		assertThat(output.truncated()).isTrue();
		ObjectNode body = this.payloads.postToolUse(this.tool, input, output);
		byte[] bytes = this.payloads.toBytes(body);
		assertThat(bytes).isEqualTo(this.mapper.writeValueAsBytes(body));
		assertThat(this.mapper.readTree(bytes).get("payload").get("truncation").get("tool_response")
			.get("original_bytes").longValue()).isEqualTo(output.originalBytes());
	}

	@Test
	void smallBodyHasTheSameBytesAsJacksonWrites() {
		BoundedJson input = this.truncator.bound(Map.of("sql", "select 1"), 65536, "tool_input");
		BoundedJson output = this.truncator.bound("ok", 65536, "tool_response");
		ObjectNode body = this.payloads.postToolUse(this.tool, input, output);
		assertThat(this.payloads.toBytes(body)).isEqualTo(this.mapper.writeValueAsBytes(body));
	}

}
