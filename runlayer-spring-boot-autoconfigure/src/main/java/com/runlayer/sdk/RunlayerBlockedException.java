package com.runlayer.sdk;

import java.util.Objects;

/**
 * Thrown when Runlayer blocks a tool call: a pre-tool deny, a blocked tool output, a denied MCP source, or (in the
 * default closed failure mode) an enforcement call that could not get a valid answer from Runlayer.
 *
 * <p>{@link #outage()} tells the two apart: {@code false} means a decision by Runlayer (a policy deny or block, or a
 * definitive refusal of the call such as HTTP 401, 403 or 422, which blocks in every failure mode); {@code true} means
 * the SDK blocked because Runlayer could not be reached or answered badly. {@link #agentMessage()} is what Runlayer
 * wants the model to be told, when it said.
 */
public class RunlayerBlockedException extends RunlayerException {

	private static final long serialVersionUID = 1L;

	/** Why the call was blocked, as reported by Runlayer or by the client. */
	private final String reason;

	/** Where the call was blocked. */
	private final EnforcementStage stage;

	/** Whether the block comes from an unreachable Runlayer rather than a decision. */
	private final boolean outage;

	/** The message meant for the agent (model), if Runlayer gave one. */
	private final String agentMessage;

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
		this(reason, null, stage, outage, cause);
	}

	/**
	 * Creates a blocked exception carrying Runlayer's message for the model.
	 * @param reason the reason, as given by Runlayer or describing the outage; never a secret
	 * @param agentMessage Runlayer's message for the model ({@code agent_message}), or null
	 * @param stage the enforcement stage that blocked
	 * @param outage whether the block was caused by an outage rather than a decision by Runlayer
	 * @param cause the underlying failure, if any
	 */
	public RunlayerBlockedException(String reason, String agentMessage, EnforcementStage stage, boolean outage,
			Throwable cause) {
		super(message(reason, stage, outage), cause);
		this.reason = Objects.requireNonNull(reason, "reason");
		this.stage = Objects.requireNonNull(stage, "stage");
		this.outage = outage;
		this.agentMessage = (agentMessage != null && !agentMessage.isBlank()) ? agentMessage : null;
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
	 * What Runlayer wants the model to be told about the block ({@code agent_message} of the answer).
	 * @return the message, or null when Runlayer gave none
	 */
	public String agentMessage() {
		return this.agentMessage;
	}

	/**
	 * The enforcement stage that blocked.
	 * @return the stage; never null
	 */
	public EnforcementStage stage() {
		return this.stage;
	}

	/**
	 * Whether the block was caused by an outage (Runlayer unreachable, timed out, 5xx, 408 or 429 after the retries,
	 * a malformed or unexpected answer) rather than a decision by Runlayer.
	 * @return {@code true} for an outage block
	 */
	public boolean outage() {
		return this.outage;
	}

}
