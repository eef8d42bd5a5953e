package com.runlayer.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.enforcement.ToolDescriptor;

/**
 * One tool call to enforce: who calls (session), what (tool name and type) and with which input.
 *
 * @param sessionId the agent session (conversation) id; required
 * @param toolName the tool name, e.g. {@code Bash} or {@code mcp__github__list_repos}; required
 * @param toolType the tool type, e.g. {@code shell}, {@code function}, {@code mcp}; may be null
 * @param toolInput the tool arguments; never null (empty when not given), unmodifiable
 * @param toolUseId the id of this call; when null a UUID is generated and used on pre, post and failure
 * @param mcpServerName the MCP server name when the tool fronts an MCP server; may be null
 * @param toolUrl the MCP server URL when the tool fronts an MCP server; may be null
 * @param cwd the working directory the tool acts in, sent as {@code cwd}; when null the client's default
 * ({@link RunlayerClient.Builder#cwd(String)}, {@code runlayer.cwd}) is sent, if any
 * @param subject the end user the call acts for; null to ask the client's subject resolver, then its static
 * subject (see {@link RunlayerClient.Builder#subjectResolver})
 * @param payloadFields further fields of the hook payload that the agent runtime delivered with the call, e.g. the
 * {@code transcript_path} and {@code permission_mode} of a Claude hook input: sent as given in the tool/pre and
 * tool/post payloads, each capped like tool output; a field the SDK sets itself ({@code session_id},
 * {@code tool_input}, {@code tool_type}, {@code truncation}, ...) is never replaced. Never null (empty when not
 * given), unmodifiable
 */
public record ToolCall(String sessionId, String toolName, String toolType, Map<String, Object> toolInput,
		String toolUseId, String mcpServerName, String toolUrl, String cwd, RunlayerSubject subject,
		Map<String, Object> payloadFields) {

	/**
	 * A call without further payload fields.
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param toolType the tool type, may be null
	 * @param toolInput the tool arguments
	 * @param toolUseId the id of this call, may be null
	 * @param mcpServerName the MCP server name, may be null
	 * @param toolUrl the MCP server URL, may be null
	 * @param cwd the working directory, may be null
	 * @param subject the end user the call acts for, may be null
	 */
	public ToolCall(String sessionId, String toolName, String toolType, Map<String, Object> toolInput,
			String toolUseId, String mcpServerName, String toolUrl, String cwd, RunlayerSubject subject) {
		this(sessionId, toolName, toolType, toolInput, toolUseId, mcpServerName, toolUrl, cwd, subject, null);
	}

	/**
	 * A call without an explicit subject.
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param toolType the tool type, may be null
	 * @param toolInput the tool arguments
	 * @param toolUseId the id of this call, may be null
	 * @param mcpServerName the MCP server name, may be null
	 * @param toolUrl the MCP server URL, may be null
	 * @param cwd the working directory, may be null
	 */
	public ToolCall(String sessionId, String toolName, String toolType, Map<String, Object> toolInput,
			String toolUseId, String mcpServerName, String toolUrl, String cwd) {
		this(sessionId, toolName, toolType, toolInput, toolUseId, mcpServerName, toolUrl, cwd, null);
	}

	/**
	 * A call without a working directory of its own.
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param toolType the tool type, may be null
	 * @param toolInput the tool arguments
	 * @param toolUseId the id of this call, may be null
	 * @param mcpServerName the MCP server name, may be null
	 * @param toolUrl the MCP server URL, may be null
	 * @param subject the end user the call acts for, may be null
	 */
	public ToolCall(String sessionId, String toolName, String toolType, Map<String, Object> toolInput,
			String toolUseId, String mcpServerName, String toolUrl, RunlayerSubject subject) {
		this(sessionId, toolName, toolType, toolInput, toolUseId, mcpServerName, toolUrl, null, subject);
	}

	/**
	 * Normalises the input map and the payload fields to unmodifiable copies that keep insertion order and allow null
	 * values.
	 * @param sessionId the agent session (conversation) id; required
	 * @param toolName the tool name, e.g. {@code Bash} or {@code mcp__github__list_repos}; required
	 * @param toolType the tool type, e.g. {@code shell}, {@code function}, {@code mcp}; may be null
	 * @param toolInput the tool arguments; never null (empty when not given), unmodifiable
	 * @param toolUseId the id of this call; when null a UUID is generated and used on pre, post and failure
	 * @param mcpServerName the MCP server name when the tool fronts an MCP server; may be null
	 * @param toolUrl the MCP server URL when the tool fronts an MCP server; may be null
	 * @param cwd the working directory the tool acts in, sent as {@code cwd}; when null the client's default ({@link RunlayerClient.Builder#cwd(String)}, {@code runlayer.cwd}) is sent, if any
	 * @param subject the end user the call acts for; null to ask the client's subject resolver, then its static subject (see {@link RunlayerClient.Builder#subjectResolver})
	 * @param payloadFields further fields of the hook payload, sent as given; may be null
	 */
	public ToolCall {
		toolInput = (toolInput != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(toolInput)) : Map.of();
		payloadFields = (payloadFields != null && !payloadFields.isEmpty())
				? Collections.unmodifiableMap(new LinkedHashMap<>(payloadFields)) : Map.of();
	}

	/**
	 * A call without an explicit subject.
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param toolType the tool type
	 * @param toolInput the tool arguments
	 * @param toolUseId the tool use id
	 * @param mcpServerName the MCP server name
	 * @param toolUrl the MCP server URL
	 */
	public ToolCall(String sessionId, String toolName, String toolType, Map<String, Object> toolInput,
			String toolUseId, String mcpServerName, String toolUrl) {
		this(sessionId, toolName, toolType, toolInput, toolUseId, mcpServerName, toolUrl, null, null);
	}

	/**
	 * Starts a builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The descriptor the enforcement filters look at.
	 * @return the descriptor of this call
	 */
	public ToolDescriptor descriptor() {
		return new ToolDescriptor(this.toolName, this.toolType, this.mcpServerName, this.toolUrl);
	}

	/**
	 * A copy with other input.
	 * @param input the new input
	 * @return the copy
	 */
	public ToolCall withToolInput(Map<String, Object> input) {
		return new ToolCall(this.sessionId, this.toolName, this.toolType, input, this.toolUseId, this.mcpServerName,
				this.toolUrl, this.cwd, this.subject, this.payloadFields);
	}

	/**
	 * A copy with a tool use id.
	 * @param id the id
	 * @return the copy
	 */
	public ToolCall withToolUseId(String id) {
		return new ToolCall(this.sessionId, this.toolName, this.toolType, this.toolInput, id, this.mcpServerName,
				this.toolUrl, this.cwd, this.subject, this.payloadFields);
	}

	/**
	 * A copy acting for a subject.
	 * @param subject the subject, or null for the client's resolver and static subject
	 * @return the copy
	 */
	public ToolCall withSubject(RunlayerSubject subject) {
		return new ToolCall(this.sessionId, this.toolName, this.toolType, this.toolInput, this.toolUseId,
				this.mcpServerName, this.toolUrl, this.cwd, subject, this.payloadFields);
	}

	/**
	 * Builder of {@link ToolCall}. Not thread-safe.
	 */
	public static final class Builder {

		private String sessionId;

		private String toolName;

		private String toolType;

		private Map<String, Object> toolInput;

		private String toolUseId;

		private String mcpServerName;

		private String toolUrl;

		private RunlayerSubject subject;

		private String cwd;

		private Map<String, Object> payloadFields;

		private Builder() {
		}

		/**
		 * Sets the session id.
		 * @param sessionId the session id
		 * @return this builder
		 */
		public Builder sessionId(String sessionId) {
			this.sessionId = sessionId;
			return this;
		}

		/**
		 * Sets the tool name.
		 * @param toolName the tool name
		 * @return this builder
		 */
		public Builder toolName(String toolName) {
			this.toolName = toolName;
			return this;
		}

		/**
		 * Sets the tool type.
		 * @param toolType the tool type
		 * @return this builder
		 */
		public Builder toolType(String toolType) {
			this.toolType = toolType;
			return this;
		}

		/**
		 * Sets the tool input.
		 * @param toolInput the tool input
		 * @return this builder
		 */
		public Builder toolInput(Map<String, Object> toolInput) {
			this.toolInput = toolInput;
			return this;
		}

		/**
		 * Sets the tool use id.
		 * @param toolUseId the tool use id
		 * @return this builder
		 */
		public Builder toolUseId(String toolUseId) {
			this.toolUseId = toolUseId;
			return this;
		}

		/**
		 * Sets the MCP server name.
		 * @param mcpServerName the MCP server name
		 * @return this builder
		 */
		public Builder mcpServerName(String mcpServerName) {
			this.mcpServerName = mcpServerName;
			return this;
		}

		/**
		 * Sets the MCP server URL.
		 * @param toolUrl the URL
		 * @return this builder
		 */
		public Builder toolUrl(String toolUrl) {
			this.toolUrl = toolUrl;
			return this;
		}

		/**
		 * Sets the working directory the tool acts in (sent as {@code cwd}).
		 * @param cwd the directory
		 * @return this builder
		 */
		public Builder cwd(String cwd) {
			this.cwd = cwd;
			return this;
		}

		/**
		 * Sets further fields of the hook payload, sent as given (e.g. {@code transcript_path},
		 * {@code permission_mode}); fields the SDK sets itself are never replaced.
		 * @param payloadFields the fields, may be null
		 * @return this builder
		 */
		public Builder payloadFields(Map<String, Object> payloadFields) {
			this.payloadFields = payloadFields;
			return this;
		}

		/**
		 * Sets the end user the call acts for (default: the client's subject resolver, then its static subject).
		 * @param subject the subject
		 * @return this builder
		 */
		public Builder subject(RunlayerSubject subject) {
			this.subject = subject;
			return this;
		}

		/**
		 * Builds the call.
		 * @return the call
		 */
		public ToolCall build() {
			return new ToolCall(this.sessionId, this.toolName, this.toolType, this.toolInput, this.toolUseId,
					this.mcpServerName, this.toolUrl, this.cwd, this.subject, this.payloadFields);
		}

	}

}
