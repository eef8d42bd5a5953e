package com.runlayer.spring.ai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.runlayer.sdk.EnforcementGuard;
import com.runlayer.sdk.McpSourceCheck;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerSessionIds;
import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.ToolInvocation;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.transport.RandomIds;
import com.runlayer.spring.aop.ToolCallIdentityResolver;
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
 * <p>The tool's name, type, MCP server and failure mode, and each call's session id, come from the
 * {@link ToolCallIdentityResolver}: a {@code @Tool} method is the same tool to Runlayer as when its
 * {@code @RunlayerTool} interceptor enforces it. Every Runlayer error of a call (a block, a missing session id,
 * input that is not JSON) and every Runlayer block of a tool the body calls reaches Spring AI as the
 * {@link DenialMode} says: as feedback through Spring AI's {@code ToolExecutionException} path, or as the exception
 * itself.
 *
 * <p>Exactly once: the delegate of a {@code @Tool} method runs inside an {@link EnforcementGuard} scope that names
 * that method on that object, so its own {@code @RunlayerTool} interception passes through while any other tool
 * the body calls (or the same one, recursively, or on another thread) is enforced as its own call. Thread-safe.
 */
public final class RunlayerToolCallback implements ToolCallback {

	/** The {@link ToolContext} key of the Runlayer session id. */
	public static final String SESSION_ID_KEY = RunlayerSessionIds.TOOL_CONTEXT_KEY;

	private static final Logger logger = LoggerFactory.getLogger(RunlayerToolCallback.class);

	/** The server name the enforcement filters are asked with for an MCP tool whose server is unknown. */
	private static final String UNKNOWN_MCP_SERVER = "<unknown MCP server>";

	private static final boolean MCP_PRESENT = ClassUtils.isPresent("org.springframework.ai.mcp.SyncMcpToolCallback",
			RunlayerToolCallback.class.getClassLoader());

	private final ToolCallback delegate;

	private final ToolCallback inner;

	private final RunlayerClient client;

	private final RunlayerToolCallbacks.Options options;

	private final ToolCallIdentityResolver identities;

	private final boolean mcp;

	private final boolean sourceEnforcement;

	private final MethodCallbacks.Target target;

	private final Object invocationKey;

	private volatile ToolCallIdentity cachedIdentity;

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
		this.identities = options.identities();
		// Spring AI's own decorators are seen through: a decorated MCP tool or @Tool method keeps its identity
		this.inner = DecoratedCallbacks.innermost(delegate);
		this.mcp = MCP_PRESENT && McpCallbacks.isMcp(this.inner);
		this.sourceEnforcement = RunlayerToolCallbacks.mcpSourceEnforcementOffReason(client, options) == null;
		this.target = this.mcp ? null : MethodCallbacks.target(this.inner);
		this.invocationKey = (this.target != null && this.target.object() != null)
				? ToolCallIdentityResolver.invocationKey(this.target.method(), this.target.object()) : null;
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
	 * Who this tool is to Runlayer: name, type, MCP server and failure mode, as the identity resolver decides.
	 * @return the identity
	 */
	public ToolCallIdentity identity() {
		return identity(mcpServer(this.delegate.getToolDefinition()));
	}

	/**
	 * What Runlayer and the enforcement filters see of this tool.
	 * @return the descriptor
	 */
	public ToolDescriptor descriptor() {
		return identity().descriptor();
	}

	private ToolCallIdentity identity(McpServerInfo server) {
		if (this.mcp) {
			// the server of an MCP tool may become known after the callback was built: resolved per call
			String name = this.delegate.getToolDefinition().name();
			return this.identities.forCallback(name, true, McpCallbacks.originalToolName(this.inner, name),
					(server != null) ? server.name() : null, (server != null) ? server.url() : null);
		}
		ToolCallIdentity identity = this.cachedIdentity;
		if (identity == null) {
			identity = (this.target != null)
					? this.identities.forMethod(this.target.method(), this.target.beanClass())
					: this.identities.forCallback(this.delegate.getToolDefinition().name(), false, null, null, null);
			this.cachedIdentity = identity;
		}
		return identity;
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
		ToolCallIdentity identity = identity(server);
		String toolName = identity.toolName();
		Map<String, Object> context = (toolContext != null) ? toolContext.getContext() : null;
		String sessionId = this.identities.sessionId(null, context, null, null);
		if (!this.client.shouldEnforceTool(identity.descriptor())) {
			if (skipRestsOnUnknownServersName(identity, server)) {
				throw toSpringAi(definition, new RunlayerException("MCP tool '" + toolName + "' comes from an MCP"
						+ " server Runlayer does not know, and only its name ('mcp__<server>__...', chosen by that"
						+ " server) would exempt it from enforcement; the tool was not run. Build MCP tool callbacks"
						+ " with the application's McpToolNamePrefixGenerator bean (as the auto-configured providers"
						+ " do) so that Runlayer knows their server"));
			}
			logger.debug("Runlayer skips tool '{}' (tool enforcement filters)", toolName);
			// lets the client's observers count the skip; a skipped call needs no session id or parsed input
			this.client.beginTool(identity.call(sessionId, Map.of(), null));
			return runDelegate(definition, toolInput, toolContext, null);
		}
		ToolInvocation invocation;
		String effectiveInput;
		try {
			if (sessionId == null) {
				throw new RunlayerException("No Runlayer session id for tool '" + toolName + "': register"
						+ " RunlayerAdvisor on the ChatClient (it gives every turn a session), pass the conversation id"
						+ " (advisor param '" + ChatMemory.CONVERSATION_ID + "'), put '" + SESSION_ID_KEY
						+ "' into the tool context, or call inside RunlayerSession.call(...)");
			}
			Map<String, Object> input = parseInput(toolName, toolInput);
			String toolUseId = RandomIds.uuid();
			checkSource(toolUseId, sessionId, toolName, server, input, identity);
			invocation = this.client.beginTool(identity.call(sessionId, input, toolUseId), identity.failureMode());
			effectiveInput = invocation.rewritten() ? this.client.jsonMapper().writeValueAsString(invocation.input())
					: toolInput;
		}
		catch (RunlayerException ex) {
			throw toSpringAi(definition, ex);
		}
		String result = runDelegate(definition, effectiveInput, toolContext, invocation);
		try {
			Object output = invocation.complete(result, String.class);
			return (output != null) ? output.toString() : null;
		}
		catch (RunlayerException ex) {
			throw toSpringAi(definition, ex);
		}
	}

	/**
	 * Runs the delegate: inside the exactly-once scope of its method when it is a method tool under enforcement;
	 * reports a failure to Runlayer; maps a Runlayer block raised by a tool the body called.
	 */
	private String runDelegate(ToolDefinition definition, String input, @Nullable ToolContext toolContext,
			@Nullable ToolInvocation invocation) {
		try {
			if (invocation != null && this.invocationKey != null) {
				return EnforcementGuard.runEnforced(this.invocationKey, () -> this.delegate.call(input, toolContext));
			}
			return this.delegate.call(input, toolContext);
		}
		catch (ToolExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			fail(invocation, cause);
			if (cause instanceof RunlayerException runlayer) {
				throw toSpringAi(definition, runlayer);
			}
			throw ex;
		}
		catch (RunlayerException ex) {
			fail(invocation, ex);
			throw toSpringAi(definition, ex);
		}
		catch (RuntimeException ex) {
			fail(invocation, ex);
			throw ex;
		}
		catch (Exception ex) {
			fail(invocation, ex);
			throw new ToolExecutionException(definition, ex);
		}
		catch (Error ex) {
			// the allowed call still ends in the audit trail; the error itself reaches the caller unchanged
			fail(invocation, ex);
			throw ex;
		}
	}

	private static void fail(@Nullable ToolInvocation invocation, Throwable cause) {
		if (invocation != null) {
			invocation.fail(cause);
		}
	}

	/**
	 * Whether the filters skip an MCP tool of an unknown server only because of the server segment of its
	 * {@code mcp__<server>__<tool>} name: that name is the remote server's choice, so it must not borrow the exemption
	 * of Runlayer's own MCP servers (or of an ignored server). Asked again with a placeholder server, which stops the
	 * filters from reading the name's segment while every other rule (ignored tool names, tool URL, predicates)
	 * applies as before.
	 */
	private boolean skipRestsOnUnknownServersName(ToolCallIdentity identity, McpServerInfo server) {
		if (!this.mcp || server != null || identity.mcpServerName() != null
				|| !identity.toolName().startsWith("mcp__")) {
			return false;
		}
		return this.client.shouldEnforceTool(new ToolDescriptor(identity.toolName(), identity.toolType(),
				UNKNOWN_MCP_SERVER, identity.toolUrl()));
	}

	private void checkSource(String toolUseId, String sessionId, String toolName, McpServerInfo server,
			Map<String, Object> input, ToolCallIdentity identity) {
		if (!this.mcp || !this.sourceEnforcement || server == null) {
			return;
		}
		if (server.url() == null && server.command() == null) {
			logger.debug("Runlayer MCP source check skipped for tool '{}': no URL or command known for server '{}'",
					toolName, server.name());
			return;
		}
		this.client.enforceMcpSource(new McpSourceCheck(toolUseId, sessionId, toolName, server.url(),
				(server.url() != null) ? null : server.command(), server.name(), input), identity.failureMode());
	}

	/** A Runlayer error of this call, as the denial mode says it reaches Spring AI. */
	private RuntimeException toSpringAi(ToolDefinition definition, RunlayerException ex) {
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

	@Override
	public String toString() {
		return "RunlayerToolCallback[" + this.delegate.getToolDefinition().name() + "]";
	}

}
