package com.runlayer.sdk.observe;

import java.time.Duration;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerMode;

/**
 * One enforcement outcome with its full context, for audit logs, UIs and alerting. Passed to
 * {@link RunlayerObserver#decided(RunlayerDecision)} after every enforcement call (and every skipped tool call); in
 * Spring it is also published as an application event.
 *
 * @param sessionId the session id; may be null for a skipped call without one
 * @param toolName the tool's resolved name
 * @param toolUseId the tool use id shared by pre and post; null for a skipped call or an MCP source check
 * @param stage the stage; null for a skipped call
 * @param decision the outcome
 * @param applied whether it took effect: {@code false} when monitor mode only reported a decision that would have
 * changed the call (deny, rewrite, block, mask, an outage in closed failure mode)
 * @param mode the mode the call ran in
 * @param reason Runlayer's reason, or what went wrong for an outage; null for a plain allow
 * @param outage whether Runlayer could not give a valid answer (unreachable, timeout, bad answer, open breaker)
 * @param duration how long the enforcement call took
 */
public record RunlayerDecision(String sessionId, String toolName, String toolUseId, EnforcementStage stage,
		EnforcementDecision decision, boolean applied, RunlayerMode mode, String reason, boolean outage,
		Duration duration) {
}
