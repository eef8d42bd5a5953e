package com.runlayer.spring.aop;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerSessionIds;
import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.ToolIdentityOverrides;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * The one place that decides who a tool call is to Runlayer, for every entry path: the {@link RunlayerTool}
 * interceptor, the Spring AI tool callback decorator (request tools, tools resolved by name, MCP client tools),
 * {@code RunlayerToolCallbacks.wrap} and the advisor. No other code picks tool names, types, failure modes or
 * session ids.
 *
 * <p><b>Tool identity</b> of a method: the name is {@code @RunlayerTool(name)}, else Spring AI's
 * {@code @Tool(name)}, else the Java method name; type, MCP server name, tool URL and failure mode come from
 * {@code @RunlayerTool} (type {@code function}, client failure mode when absent). A callback that is not a method
 * (function or MCP tool) is named by its tool definition ({@code mcp__<server>__<tool>} for an MCP tool whose server
 * is known) with type {@code function} or {@code mcp}. Each result then goes through the
 * {@link ToolIdentityOverrides} given at construction, the single hook for per-tool settings from configuration.
 *
 * <p><b>Session id</b>: the rule of {@link RunlayerSessionIds} (explicit id, {@code runlayer_session_id}, then the
 * conversation id of the context map, then {@link com.runlayer.sdk.RunlayerSession}), then the Reactor context of a
 * streaming Spring AI call, then the {@link RunlayerSessionIdResolver} beans. Values are trimmed; blank means none.
 *
 * <p>Thread-safe.
 */
public final class ToolCallIdentityResolver {

	private static final String TOOL_ANNOTATION = "org.springframework.ai.tool.annotation.Tool";

	private static final boolean SPRING_AI_PRESENT = ClassUtils.isPresent(TOOL_ANNOTATION,
			ToolCallIdentityResolver.class.getClassLoader());

	private static final boolean REACTIVE_CONTEXT_PRESENT = ClassUtils.isPresent(
			"org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder",
			ToolCallIdentityResolver.class.getClassLoader());

	/** The Reactor context key under which the advisor puts the session id of a streaming call. */
	public static final String REACTOR_SESSION_KEY = "runlayer.session-id";

	private static final ToolCallIdentityResolver DEFAULTS = new ToolCallIdentityResolver(null, null);

	private final ToolIdentityOverrides overrides;

	private final Supplier<List<RunlayerSessionIdResolver>> sessionIdResolvers;

	/**
	 * Creates a resolver.
	 * @param overrides the per-tool overrides, or null for none
	 * @param sessionIdResolvers the session id resolvers asked last, or null for none; called on the first call that
	 * needs them
	 */
	public ToolCallIdentityResolver(ToolIdentityOverrides overrides,
			Supplier<List<RunlayerSessionIdResolver>> sessionIdResolvers) {
		this.overrides = (overrides != null) ? overrides : ToolIdentityOverrides.NONE;
		this.sessionIdResolvers = (sessionIdResolvers != null) ? sessionIdResolvers : List::of;
	}

	/**
	 * The resolver without overrides or session id resolvers, for code outside a Spring context.
	 * @return the shared instance
	 */
	public static ToolCallIdentityResolver defaults() {
		return DEFAULTS;
	}

	// ---------------------------------------------------------------------------------------------------------
	// Tool identity

	/**
	 * The identity of a bean method called as a tool, whichever layer calls it.
	 * @param method the method (any form; resolved to the bean class's own)
	 * @param beanClass the bean (user) class
	 * @return the identity
	 */
	public ToolCallIdentity forMethod(Method method, Class<?> beanClass) {
		Class<?> userClass = ClassUtils.getUserClass(beanClass);
		Method specific = ToolMethod.specificMethod(method, userClass);
		return forMethod(specific, ToolMethod.findAnnotation(specific, userClass));
	}

	ToolCallIdentity forMethod(Method specific, RunlayerTool annotation) {
		String name = (annotation != null) ? annotation.name() : null;
		if (name == null || name.isBlank()) {
			name = springAiToolName(specific);
		}
		if (name == null || name.isBlank()) {
			name = specific.getName();
		}
		if (annotation == null) {
			return apply(new ToolCallIdentity(name, null, null, null, null));
		}
		EnforcementFailureMode mode = annotation.failureMode().override();
		return apply(new ToolCallIdentity(name, annotation.type(), annotation.mcpServerName(), annotation.toolUrl(),
				mode));
	}

	/**
	 * The identity of a tool that is not a bean method: a Spring AI function tool, an MCP client tool or a custom
	 * callback.
	 * @param definitionName the name the model sees
	 * @param mcp whether it is an MCP client tool
	 * @param originalMcpToolName the MCP server's own name of the tool, or null
	 * @param mcpServerName the MCP server (connection) name, or null when unknown
	 * @param mcpServerUrl the server URL, or null
	 * @return the identity
	 */
	public ToolCallIdentity forCallback(String definitionName, boolean mcp, String originalMcpToolName,
			String mcpServerName, String mcpServerUrl) {
		if (!mcp) {
			return apply(new ToolCallIdentity(definitionName, null, null, null, null));
		}
		String name = definitionName;
		if (mcpServerName != null && !mcpServerName.isBlank()) {
			// Claude-style MCP name, the form Runlayer policies and the self-MCP skip rules are written against.
			name = "mcp__" + mcpServerName.trim() + "__"
					+ ((originalMcpToolName != null && !originalMcpToolName.isBlank()) ? originalMcpToolName
							: definitionName);
		}
		return apply(new ToolCallIdentity(name, "mcp", mcpServerName, mcpServerUrl, null));
	}

	private ToolCallIdentity apply(ToolCallIdentity resolved) {
		return Objects.requireNonNull(this.overrides.apply(resolved), "ToolIdentityOverrides returned null");
	}

	private static String springAiToolName(Method method) {
		return SPRING_AI_PRESENT ? SpringAiTools.name(method) : null;
	}

	// ---------------------------------------------------------------------------------------------------------
	// Session id

	/**
	 * The session id of a tool call.
	 * @param explicit the call's own id (a {@link RunlayerSessionId} argument), may be null
	 * @param context the call's context map (a Spring AI {@code ToolContext}'s map), may be null
	 * @param method the tool method, or null when the tool is not a method (then no
	 * {@link RunlayerSessionIdResolver} is asked)
	 * @param args the call's arguments, may be null
	 * @return the normalised id, or null when no source has one
	 */
	public String sessionId(Object explicit, Map<String, ?> context, Method method, Object[] args) {
		return RunlayerSessionIds.resolve(explicit, context, ToolCallIdentityResolver::reactiveSessionId,
				() -> fromResolvers(method, args));
	}

	/**
	 * The session id of a chat turn from its advisor context (advisor params).
	 * @param advisorContext the request context
	 * @return the normalised id, or null when the turn names none
	 */
	public String turnSessionId(Map<String, ?> advisorContext) {
		return RunlayerSessionIds.resolve(null, advisorContext);
	}

	private String fromResolvers(Method method, Object[] args) {
		if (method == null) {
			return null;
		}
		for (RunlayerSessionIdResolver resolver : this.sessionIdResolvers.get()) {
			String id = RunlayerSessionIds.normalize(resolver.resolveSessionId(method, args));
			if (id != null) {
				return id;
			}
		}
		return null;
	}

	private static String reactiveSessionId() {
		if (!REACTIVE_CONTEXT_PRESENT) {
			return null;
		}
		try {
			return ReactiveSession.sessionId();
		}
		catch (RuntimeException | LinkageError ex) {
			return null;
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Exactly once

	/**
	 * The key that identifies one invocation of a tool method on one object, for
	 * {@link com.runlayer.sdk.EnforcementGuard}: the outer layer opens a scope with it and only the interception of
	 * that very method on that very object consumes it.
	 * @param method the method (any form; compared as the bean class's own method)
	 * @param target the object the method is invoked on (the proxy when there is one)
	 * @return the key
	 */
	public static Object invocationKey(Method method, Object target) {
		Class<?> targetClass = ClassUtils.getUserClass(AopUtils.getTargetClass(target));
		return new InvocationKey(ToolMethod.specificMethod(method, targetClass), target);
	}

	static Object specificInvocationKey(Method specific, Object target) {
		return new InvocationKey(specific, target);
	}

	private record InvocationKey(Method method, Object target) {

		@Override
		public boolean equals(Object other) {
			return other instanceof InvocationKey key && key.target == this.target && key.method.equals(this.method);
		}

		@Override
		public int hashCode() {
			return this.method.hashCode() * 31 + System.identityHashCode(this.target);
		}

	}

	/** Reads Spring AI's {@code @Tool}; loaded only when Spring AI is present. */
	private static final class SpringAiTools {

		static String name(Method method) {
			org.springframework.ai.tool.annotation.Tool tool = AnnotatedElementUtils.findMergedAnnotation(method,
					org.springframework.ai.tool.annotation.Tool.class);
			return (tool != null) ? tool.name() : null;
		}

	}

	/** Reads the session of a streaming call from the Reactor context Spring AI hands to tool execution. */
	private static final class ReactiveSession {

		static String sessionId() {
			Object id = org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder.getContext()
				.getOrDefault(REACTOR_SESSION_KEY, null);
			return RunlayerSessionIds.normalize(id);
		}

	}

}
