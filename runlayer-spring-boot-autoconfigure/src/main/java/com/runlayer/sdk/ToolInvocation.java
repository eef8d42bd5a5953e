package com.runlayer.sdk;

import java.lang.reflect.Type;
import java.util.Map;

import com.runlayer.sdk.hooks.BoundedJson;
import com.runlayer.sdk.hooks.HookPayloads.ToolIdentity;
import com.runlayer.sdk.transport.HookCallException;

/**
 * One tool call between its pre-tool decision and its end: the input to run the tool with, then
 * {@link #complete(Object, Type)} for the post-tool scan or {@link #fail(Throwable)} for failure telemetry.
 *
 * <p>Obtained from {@link RunlayerClient#beginTool(ToolCall)}. Used by adapters that run the tool themselves (the
 * {@code @RunlayerTool} interceptor, the Spring AI decorator, asynchronous tools). Not thread-safe: complete or fail
 * it once, from any one thread.
 */
public final class ToolInvocation {

	private final ToolEnforcer enforcer;

	private final ToolCall call;

	private final ToolIdentity identity;

	private final Map<String, Object> input;

	private final BoundedJson boundedInput;

	private final boolean enforced;

	private final boolean rewritten;

	private final CallPolicy policy;

	/** Why the subject of a resumed call could not be resolved, or null: its scan is then an outage. */
	private final HookCallException subjectFailure;

	ToolInvocation(ToolEnforcer enforcer, ToolCall call, ToolIdentity identity, Map<String, Object> input,
			BoundedJson boundedInput, boolean enforced, boolean rewritten, CallPolicy policy) {
		this(enforcer, call, identity, input, boundedInput, enforced, rewritten, policy, null);
	}

	ToolInvocation(ToolEnforcer enforcer, ToolCall call, ToolIdentity identity, Map<String, Object> input,
			BoundedJson boundedInput, boolean enforced, boolean rewritten, CallPolicy policy,
			HookCallException subjectFailure) {
		this.subjectFailure = subjectFailure;
		this.enforcer = enforcer;
		this.call = call;
		this.identity = identity;
		this.input = input;
		this.boundedInput = boundedInput;
		this.enforced = enforced;
		this.rewritten = rewritten;
		this.policy = policy;
	}

	/**
	 * The call as given.
	 * @return the call
	 */
	public ToolCall call() {
		return this.call;
	}

	/**
	 * The tool use id shared by pre, post and failure (generated when the call had none).
	 * @return the id, or null when the call is not enforced
	 */
	public String toolUseId() {
		return (this.identity != null) ? this.identity.toolUseId() : this.call.toolUseId();
	}

	/**
	 * Whether Runlayer enforces this call (false when the filters skip it).
	 * @return the flag
	 */
	public boolean enforced() {
		return this.enforced;
	}

	/**
	 * The mode this call runs in: the tool's {@code runlayer.tools.<name>.mode}, else the client's.
	 * @return the mode
	 */
	public RunlayerMode mode() {
		return this.policy.mode();
	}

	/**
	 * Whether Runlayer rewrote the arguments (and the rewrite was applied: never in monitor mode).
	 * @return the flag
	 */
	public boolean rewritten() {
		return this.rewritten;
	}

	/**
	 * The input to run the tool with: the rewritten arguments, or the original input (always in monitor mode).
	 * @return the input; unmodifiable
	 */
	public Map<String, Object> input() {
		return this.input;
	}

	/**
	 * Runs the post-tool scan on the tool's output.
	 * @param output the raw output
	 * @param declaredType the declared return type, used to convert a masked output; null for the output's
	 * own class
	 * @return the output to hand on: the raw output, or the masked one
	 * @throws RunlayerBlockedException when Runlayer blocks the output, when a masked output cannot be converted,
	 * or on an outage in closed mode
	 */
	public Object complete(Object output, Type declaredType) {
		if (!this.enforced) {
			return output;
		}
		return this.enforcer.postTool(this, output, declaredType);
	}

	/**
	 * Runs the post-tool scan, converting a masked output to the raw output's class.
	 * @param output the raw output
	 * @return the output to hand on
	 * @throws RunlayerBlockedException as for {@link #complete(Object, Type)}
	 */
	public Object complete(Object output) {
		return complete(output, null);
	}

	/**
	 * Reports a tool failure ({@code PostToolUseFailure}); best-effort, never throws.
	 * @param error the tool's exception
	 */
	public void fail(Throwable error) {
		if (this.enforced) {
			this.enforcer.toolFailed(this, error);
		}
	}

	/**
	 * Reports a failure that the tool's runtime describes as text ({@code PostToolUseFailure}), e.g. the
	 * {@code error} of a Claude hook input; best-effort, never throws.
	 * @param error the error text, sent as {@code error} and {@code output}
	 * @param interrupt whether the tool was interrupted
	 */
	public void fail(String error, boolean interrupt) {
		if (this.enforced) {
			String text = (error != null) ? error : "";
			this.enforcer.toolFailed(this, text, null, text, interrupt);
		}
	}

	ToolIdentity identity() {
		return this.identity;
	}

	BoundedJson boundedInput() {
		return this.boundedInput;
	}

	EnforcementFailureMode failureMode() {
		return this.policy.failureMode();
	}

	CallPolicy policy() {
		return this.policy;
	}

	HookCallException subjectFailure() {
		return this.subjectFailure;
	}

}
