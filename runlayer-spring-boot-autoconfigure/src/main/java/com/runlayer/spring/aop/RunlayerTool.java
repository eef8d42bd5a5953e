package com.runlayer.spring.aop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.runlayer.sdk.EnforcementFailureMode;

/**
 * Marks a Spring bean method as a tool whose every call through the bean is enforced by Runlayer: tool/pre before
 * the method runs (deny throws {@link com.runlayer.sdk.RunlayerBlockedException}, {@code modified_args} rewrites the
 * arguments), tool/post after it returns (block throws, {@code modified_output} replaces the return value), and
 * {@code PostToolUseFailure} telemetry when it throws.
 *
 * <pre>{@code
 * @Component
 * class TicketTools {
 *   @RunlayerTool(name = "lookup_ticket")
 *   Ticket lookupTicket(String ticketId, @RunlayerSessionId String session) { ... }
 * }
 * }</pre>
 *
 * <p>On a class, the annotation applies to all its public methods; a method-level annotation wins over the class
 * one. The parameters (except a {@link RunlayerSessionId} parameter and a Spring AI {@code ToolContext}) are sent as
 * {@code tool_input} by name, so compile with {@code -parameters} (Spring Boot's parent does); a single record,
 * JavaBean or {@code Map} parameter is sent as its own JSON form. {@code CompletableFuture},
 * {@code CompletionStage} and Reactor {@code Mono} return types are enforced when they complete.
 *
 * <p>Name, type, MCP server, URL and failure mode are resolved by {@link ToolCallIdentityResolver}, the same way on
 * every path: a method that is also a Spring AI {@code @Tool} keeps these settings when the model calls it, and is
 * enforced once per call (by the Spring AI wrapper; this interceptor then lets that invocation through). Other tools
 * called from the method's body, the method itself called again through the proxy, and calls on other threads are
 * enforced as their own calls.
 *
 * <p>Calls from inside the same bean ({@code this.tool()}) do not go through the Spring proxy and are not enforced,
 * as with every Spring AOP annotation.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RunlayerTool {

	/**
	 * The tool name sent to Runlayer.
	 * @return the name; empty (the default) means Spring AI's {@code @Tool} name when the method has one, else the
	 * method name
	 */
	String name() default "";

	/**
	 * The tool type sent to Runlayer, e.g. {@code function}, {@code shell} or {@code mcp}.
	 * @return the type
	 */
	String type() default "function";

	/**
	 * The MCP server this tool fronts, if any (used by the enforcement filters and sent to Runlayer).
	 * @return the server name; empty for none
	 */
	String mcpServerName() default "";

	/**
	 * The URL of the MCP server this tool fronts, if any (a Runlayer proxy URL is skipped by default).
	 * @return the URL; empty for none
	 */
	String toolUrl() default "";

	/**
	 * What this tool does when Runlayer cannot give a valid answer.
	 * @return the failure mode; {@link FailureMode#DEFAULT} uses {@code runlayer.enforcement-failure-mode}
	 */
	FailureMode failureMode() default FailureMode.DEFAULT;

	/**
	 * Per-tool enforcement failure mode.
	 */
	enum FailureMode {

		/** Use the client's failure mode ({@code runlayer.enforcement-failure-mode}, closed by default). */
		DEFAULT(null),

		/** Block the call when Runlayer cannot answer. */
		CLOSED(EnforcementFailureMode.CLOSED),

		/** Allow the call (and log a WARN) when Runlayer cannot answer. */
		OPEN(EnforcementFailureMode.OPEN);

		private final EnforcementFailureMode mode;

		FailureMode(EnforcementFailureMode mode) {
			this.mode = mode;
		}

		/**
		 * The client failure mode this value overrides with.
		 * @return the mode, or null for {@link #DEFAULT}
		 */
		public EnforcementFailureMode override() {
			return this.mode;
		}

	}

}
