package com.runlayer.spring.ai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.runlayer.sdk.EnforcementGuard;
import com.runlayer.sdk.McpSourceCheck;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolInvocation;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.metadata.ToolMetadata;
import org.springframework.util.ClassUtils;

/**
 * A {@link ToolCallback} decorator that runs every call under Runlayer enforcement: direct MCP source check (MCP
 * tools, when configured), pre-tool (deny, or rewrite of the JSON input), the delegate, then post-tool (block, or
 * mask of the result), and failure telemetry when the delegate throws. Keeps the delegate's definition and metadata.
 *
 * <p>The session id comes from the {@link ToolContext} ({@value #SESSION_ID_KEY}, else
 * {@link ChatMemory#CONVERSATION_ID}), else from {@link RunlayerSession#current()} (the {@link RunlayerAdvisor} sets
 * it for the duration of a chat call); an enforced call without one fails with a {@link RunlayerException}. Blocks
 * reach Spring AI as the {@link DenialMode} says. The delegate runs inside {@link EnforcementGuard#runEnforced}, so a
 * {@code @RunlayerTool} method behind a {@code @Tool} callback is not enforced a second time. Thread-safe.
 */
public final class RunlayerToolCallback implements ToolCallback {

	/** The {@link ToolContext} key of the Runlayer session id. */
	public static final String SESSION_ID_KEY = "runlayer_session_id";

	private static final Logger logger = LoggerFactory.getLogger(RunlayerToolCallback.class);

	private static final boolean MCP_PRESENT = ClassUtils.isPresent("org.springframework.ai.mcp.SyncMcpToolCallback",
			RunlayerToolCallback.class.getClassLoader());

	private static final boolean REACTIVE_CONTEXT_PRESENT = ClassUtils.isPresent(
			"org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder",
			RunlayerToolCallback.class.getClassLoader());

	private final ToolCallback delegate;

	private final RunlayerClient client;

	private final RunlayerToolCallbacks.Options options;

	private final boolean mcp;

	private final boolean sourceEnforcement;

	/**
	 * Creates the decorator; prefer {@link RunlayerToolCallbacks#wrap}.
	 * @param delegate the callback to enforce
	 * @param client the Runlayer client
	 * @param options the options
	 */
	public RunlayerToolCallback(ToolCallback delegate, RunlayerClient client, RunlayerToolCallbacks.Options options) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		this.client = Objects.requireNonNull(client, "client");
		this.options = Objects.requireNonNull(options, "options");
		this.mcp = MCP_PRESENT && McpCallbacks.isMcp(delegate);
		this.sourceEnforcement = RunlayerToolCallbacks.mcpSourceEnforcementOffReason(client, options) == null;
	}

	/**
	 * The decorated callback.
	 * @return the delegate
	 */
	public ToolCallback getDelegate() {
		return this.delegate;
	}

	@Override
	public ToolDefinition getToolDefinition() {
		return this.delegate.getToolDefinition();
	}

	@Override
	public ToolMetadata getToolMetadata() {
		return this.delegate.getToolMetadata();
	}

	/**
	 * What Runlayer and the enforcement filters see of this tool: its Runlayer tool name ({@code mcp__<server>__<tool>}
	 * for MCP tools), type ({@code function} or {@code mcp}) and, for MCP tools, the server name and URL.
	 * @return the descriptor
	 */
	public ToolDescriptor descriptor() {
		ToolDefinition definition = this.delegate.getToolDefinition();
		return descriptor(definition, mcpServer(definition));
	}

	private ToolDescriptor descriptor(ToolDefinition definition, McpServerInfo server) {
		return new ToolDescriptor(runlayerToolName(definition, server), this.mcp ? "mcp" : "function",
				(server != null) ? server.name() : null, (server != null) ? server.url() : null);
	}

	/**
	 * Whether the decorated callback is an MCP client tool.
	 * @return the flag
	 */
	public boolean mcp() {
		return this.mcp;
	}

	@Override
	public String call(String toolInput) {
		return call(toolInput, null);
	}

	@Override
	public String call(String toolInput, @Nullable ToolContext toolContext) {
		ToolDefinition definition = this.delegate.getToolDefinition();
		McpServerInfo server = mcpServer(definition);
		ToolDescriptor descriptor = descriptor(definition, server);
		String toolName = descriptor.toolName();
		String sessionId = sessionId(toolContext);
		if (!this.client.shouldEnforceTool(descriptor)) {
			logger.debug("Runlayer skips tool '{}' (tool enforcement filters)", toolName);
			// lets the client's observers count the skip; a skipped call needs no session id or parsed input
			this.client.beginTool(new ToolCall(sessionId, toolName, descriptor.toolType(), Map.of(), null,
					descriptor.mcpServerName(), descriptor.toolUrl()));
			return this.delegate.call(toolInput, toolContext);
		}
		if (sessionId == null) {
			throw new RunlayerException("No Runlayer session id for tool '" + toolName + "': register RunlayerAdvisor"
					+ " on the ChatClient and pass the conversation id (advisor param '" + ChatMemory.CONVERSATION_ID
					+ "'), put '" + SESSION_ID_KEY + "' into the tool context, or call inside RunlayerSession.call(...)");
		}
		Map<String, Object> input = parseInput(toolName, toolInput);
		String toolUseId = UUID.randomUUID().toString();
		ToolInvocation invocation;
		try {
			checkSource(toolUseId, sessionId, toolName, server, input);
			invocation = this.client.beginTool(new ToolCall(sessionId, toolName, descriptor.toolType(), input,
					toolUseId, descriptor.mcpServerName(), descriptor.toolUrl()));
		}
		catch (RunlayerBlockedException ex) {
			throw blocked(definition, ex);
		}
		String effectiveInput = invocation.rewritten()
				? this.client.jsonMapper().writeValueAsString(invocation.input()) : toolInput;
		String result;
		try {
			result = EnforcementGuard.runEnforced(() -> this.delegate.call(effectiveInput, toolContext));
		}
		catch (ToolExecutionException ex) {
			invocation.fail((ex.getCause() != null) ? ex.getCause() : ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			invocation.fail(ex);
			throw ex;
		}
		catch (Exception ex) {
			invocation.fail(ex);
			throw new ToolExecutionException(definition, ex);
		}
		try {
			Object output = invocation.complete(result, String.class);
			return (output != null) ? output.toString() : null;
		}
		catch (RunlayerBlockedException ex) {
			throw blocked(definition, ex);
		}
	}

	private void checkSource(String toolUseId, String sessionId, String toolName, McpServerInfo server,
			Map<String, Object> input) {
		if (!this.mcp || !this.sourceEnforcement || server == null) {
			return;
		}
		if (server.url() == null && server.command() == null) {
			logger.debug("Runlayer MCP source check skipped for tool '{}': no URL or command known for server '{}'",
					toolName, server.name());
			return;
		}
		this.client.enforceMcpSource(new McpSourceCheck(toolUseId, sessionId, toolName, server.url(),
				(server.url() != null) ? null : server.command(), server.name(), input));
	}

	private RuntimeException blocked(ToolDefinition definition, RunlayerBlockedException ex) {
		if (this.options.onDeny() == DenialMode.EXCEPTION) {
			return ex;
		}
		return new RunlayerToolExecutionException(definition, ex);
	}

	private McpServerInfo mcpServer(ToolDefinition definition) {
		if (!this.mcp || this.options.mcpToolSources() == null) {
			return null;
		}
		return this.options.mcpToolSources().lookup(definition.name());
	}

	private String runlayerToolName(ToolDefinition definition, McpServerInfo server) {
		if (this.mcp && server != null) {
			// Claude-style MCP name, the form Runlayer policies and the self-MCP skip rules are written against.
			return "mcp__" + server.name() + "__" + McpCallbacks.originalToolName(this.delegate, definition.name());
		}
		return definition.name();
	}

	private Map<String, Object> parseInput(String toolName, String toolInput) {
		if (toolInput == null || toolInput.isBlank()) {
			return Map.of();
		}
		JsonNode node;
		try {
			node = this.client.jsonMapper().readTree(toolInput);
		}
		catch (JacksonException ex) {
			throw new RunlayerException("The input of tool '" + toolName + "' is not valid JSON; the tool was not run",
					ex);
		}
		if (node.isObject()) {
			@SuppressWarnings("unchecked")
			Map<String, Object> map = this.client.jsonMapper().convertValue(node, LinkedHashMap.class);
			return map;
		}
		Map<String, Object> wrapped = new LinkedHashMap<>();
		wrapped.put("input", this.client.jsonMapper().convertValue(node, Object.class));
		return wrapped;
	}

	/**
	 * The Runlayer session id of a tool call.
	 * @param toolContext the tool context, may be null
	 * @return the session id, or null when none is known
	 */
	static String sessionId(@Nullable ToolContext toolContext) {
		if (toolContext != null && toolContext.getContext() != null) {
			String id = text(toolContext.getContext().get(SESSION_ID_KEY));
			if (id == null) {
				id = text(toolContext.getContext().get(ChatMemory.CONVERSATION_ID));
			}
			if (id != null) {
				return id;
			}
		}
		String current = RunlayerSession.current().orElse(null);
		if (current != null) {
			return current;
		}
		return REACTIVE_CONTEXT_PRESENT ? ReactiveSession.sessionId() : null;
	}

	private static String text(Object value) {
		return (value != null && !value.toString().isBlank()) ? value.toString() : null;
	}

	@Override
	public String toString() {
		return "RunlayerToolCallback[" + this.delegate.getToolDefinition().name() + "]";
	}

	/**
	 * Reads the session that {@link RunlayerAdvisor} put into the Reactor context of a streaming call; Spring AI
	 * hands that context to tool execution on another thread.
	 */
	private static final class ReactiveSession {

		static String sessionId() {
			try {
				Object id = org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder.getContext()
					.getOrDefault(RunlayerAdvisor.SESSION_CONTEXT_KEY, null);
				return text(id);
			}
			catch (RuntimeException | LinkageError ex) {
				return null;
			}
		}

	}

}
