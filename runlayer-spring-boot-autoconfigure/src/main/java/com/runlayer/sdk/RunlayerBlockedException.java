package com.runlayer.sdk;

import java.util.Objects;

/**
 * Thrown when Runlayer blocks a tool call: a pre-tool deny, a blocked tool output, a denied MCP source, or (in the
 * default closed failure mode) an enforcement call that could not get a valid answer from Runlayer.
 *
 * <p>{@link #outage()} tells the two apart: {@code false} means a policy decision by Runlayer, {@code true} means the
 * SDK blocked because Runlayer could not be reached or answered badly.
 */
public class RunlayerBlockedException extends RunlayerException {

	private static final long serialVersionUID = 1L;

	private final String reason;

	private final EnforcementStage stage;

	private final boolean outage;

	/**
	 * Creates a blocked exception.
	 * @param reason the reason, as given by Runlayer or describing the outage; never a secret
	 * @param stage the enforcement stage that blocked
	 * @param outage whether the block was caused by an outage rather than a policy decision
	 */
	public RunlayerBlockedException(String reason, EnforcementStage stage, boolean outage) {
		this(reason, stage, outage, null);
	}

	/**
	 * Creates a blocked exception with a cause.
	 * @param reason the reason, as given by Runlayer or describing the outage; never a secret
	 * @param stage the enforcement stage that blocked
	 * @param outage whether the block was caused by an outage rather than a policy decision
	 * @param cause the underlying failure, if any
	 */
	public RunlayerBlockedException(String reason, EnforcementStage stage, boolean outage, Throwable cause) {
		super(message(reason, stage, outage), cause);
		this.reason = Objects.requireNonNull(reason, "reason");
		this.stage = Objects.requireNonNull(stage, "stage");
		this.outage = outage;
	}

	private static String message(String reason, EnforcementStage stage, boolean outage) {
		String what = switch (stage) {
			case PRE_TOOL -> "Tool call blocked by Runlayer";
			case POST_TOOL -> "Tool output blocked by Runlayer";
			case MCP_SOURCE -> "MCP source blocked by Runlayer";
		};
		return what + (outage ? " (Runlayer unavailable, failure mode closed): " : ": ") + reason;
	}

	/**
	 * The reason for the block.
	 * @return the reason; never null
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * The enforcement stage that blocked.
	 * @return the stage; never null
	 */
	public EnforcementStage stage() {
		return this.stage;
	}

	/**
	 * Whether the block was caused by an outage (Runlayer unreachable, timed out, non-2xx, malformed or unexpected
	 * answer) rather than a policy decision.
	 * @return {@code true} for an outage block
	 */
	public boolean outage() {
		return this.outage;
	}

}
