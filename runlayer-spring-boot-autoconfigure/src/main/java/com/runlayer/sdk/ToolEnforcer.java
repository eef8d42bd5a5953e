package com.runlayer.sdk;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.enforcement.ToolEnforcement;
import com.runlayer.sdk.hooks.BoundedJson;
import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.hooks.HookPayloads.ToolIdentity;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.hooks.OutputTruncator;
import com.runlayer.sdk.hooks.PostToolDecision;
import com.runlayer.sdk.hooks.PreToolDecision;
import com.runlayer.sdk.hooks.ToolOutputs;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.EnforcementReporter.Report;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import com.runlayer.sdk.transport.RandomIds;

import static com.runlayer.sdk.RunlayerClient.requireText;

/**
 * Tool enforcement of a client: the pre-tool decision (deny, allow, argument rewrite), the post-tool scan (block,
 * mask, allow) and the {@code PostToolUseFailure} telemetry of a failed tool. Decides whether a call is enforced
 * (the client's tool filters), the tool use id, the input bound (an over-size input is refused before the tool runs)
 * and that an output that cannot be scanned or converted is never released.
 */
final class ToolEnforcer {

	// the client's logger category, so logging configuration keeps working as before the split
	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(RunlayerClient.class);

	private final ClientSettings options;

	private final String baseUrl;

	private final GuardedTransport transport;

	private final HookPayloads payloads;

	private final HookResponses responses;

	private final OutputTruncator truncator;

	private final ToolOutputs outputs;

	private final EnforcementReporter reporter;

	private final ClientEvents events;

	private final CallSubjects subjects;

	ToolEnforcer(ClientSettings options, String baseUrl, GuardedTransport transport, HookPayloads payloads,
			HookResponses responses, OutputTruncator truncator, ToolOutputs outputs, EnforcementReporter reporter,
			ClientEvents events, CallSubjects subjects) {
		this.subjects = subjects;
		this.options = options;
		this.baseUrl = baseUrl;
		this.transport = transport;
		this.payloads = payloads;
		this.responses = responses;
		this.truncator = truncator;
		this.outputs = outputs;
		this.reporter = reporter;
		this.events = events;
	}

	/** See {@link RunlayerClient#shouldEnforceTool(ToolDescriptor)}. */
	boolean shouldEnforce(ToolDescriptor tool) {
		return ToolEnforcement.shouldEnforceTool(tool, this.options.toolEnforcement, this.baseUrl);
	}

	/** See {@link RunlayerClient#beginTool(ToolCall, EnforcementFailureMode)}. */
	ToolInvocation begin(ToolCall call, EnforcementFailureMode failureModeOverride) {
		Objects.requireNonNull(call, "call");
		requireText(call.toolName(), "toolName");
		CallPolicy policy = this.options.policyFor(call.toolName(), failureModeOverride);
		ToolDescriptor descriptor = call.descriptor();
		if (!shouldEnforce(descriptor)) {
			this.reporter.skipped(descriptor, call.sessionId(), call.toolUseId(), policy.mode());
			return new ToolInvocation(this, call, null, call.toolInput(), null, false, false, policy);
		}
		requireText(call.sessionId(), "sessionId");
		ToolIdentity identity = identity(call);
		BoundedJson input = boundInput(call.toolName(), redactInput(call.toolName(), call.toolInput()));
		Report report = this.reporter.start(EnforcementStage.PRE_TOOL, descriptor, call.sessionId(),
				identity.toolUseId(), policy);
		RunlayerSubject subject;
		try {
			// the end user, decided here on the caller's thread; post and failure telemetry act for the same one
			subject = this.subjects.resolve(call.subject(), call.sessionId());
		}
		catch (HookCallException ex) {
			// an outage, handled with the tool's settings; when the tool runs (open or monitor), nothing is sent for
			// it under an identity that may be wrong
			this.reporter.outage(report, ex.getMessage(), ex);
			return new ToolInvocation(this, call, identity, call.toolInput(), input, false, false, policy);
		}
		call = (subject != call.subject()) ? call.withSubject(subject) : call;
		PreToolDecision decision;
		try {
			HookResponse response = this.transport.postJson(HookEndpoint.TOOL_PRE, null,
					this.payloads.toBytes(this.payloads.preToolUse(identity, input)), policy.preTimeout(), subject);
			decision = this.responses.preTool(response.body());
		}
		catch (HookCallException ex) {
			this.reporter.callFailed(report, ex);
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
		}
		catch (RuntimeException ex) {
			this.reporter.outage(report, EnforcementReporter.unexpected(ex), ex);
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
		}
		if (decision instanceof PreToolDecision.Invalid invalid) {
			this.reporter.outage(report, "Runlayer answered badly: " + invalid.problem(), null);
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
		}
		if (decision instanceof PreToolDecision.Deny deny) {
			if (this.reporter.decided(report, EnforcementDecision.DENY, deny.reason())) {
				throw new RunlayerBlockedException(deny.reason(), deny.agentMessage(), EnforcementStage.PRE_TOOL, false,
						null);
			}
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
		}
		PreToolDecision.Allow allow = (PreToolDecision.Allow) decision;
		if (allow.rewritten()) {
			Map<String, Object> rewritten = Collections.unmodifiableMap(new LinkedHashMap<>(allow.modifiedArgs()));
			if (!this.reporter.rewritten(report, call.toolInput(), rewritten)) {
				return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
			}
			// Runlayer's rewrite is what the tool runs with, whole; only its copy in the tool/post payload is bounded
			// (truncated and marked in truncation.tool_input when over max-tool-input-bytes)
			BoundedJson boundedRewrite = this.truncator.bound(redactInput(call.toolName(), rewritten),
					this.options.maxToolInputBytes, "tool_input");
			if (boundedRewrite.truncated()) {
				logger.warn("Runlayer rewrote the arguments of tool '{}' to {} bytes, over runlayer.max-tool-input-bytes"
						+ " ({}); the tool runs with them, the tool/post payload carries them truncated",
						call.toolName(), boundedRewrite.originalBytes(), this.options.maxToolInputBytes);
			}
			return new ToolInvocation(this, call, identity, rewritten, boundedRewrite, true, true, policy);
		}
		this.reporter.decided(report, EnforcementDecision.ALLOW, null);
		return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
	}

	/**
	 * The identity a call's payloads carry: its tool use id (a fresh one when the call has none, the same on pre, post
	 * and failure), the configured working directory when the call names none, and its further fields bounded.
	 */
	private ToolIdentity identity(ToolCall call) {
		String toolUseId = (call.toolUseId() != null && !call.toolUseId().isBlank()) ? call.toolUseId()
				: RandomIds.uuid();
		return new ToolIdentity(call.sessionId(), call.toolName(), call.toolType(), toolUseId, call.mcpServerName(),
				call.toolUrl(), (call.cwd() != null) ? call.cwd() : this.options.cwd,
				this.truncator.boundFields(call.payloadFields(), this.options.maxToolOutputBytes));
	}

	/** See {@link RunlayerClient#resumeTool(ToolCall)}. */
	ToolInvocation resume(ToolCall call, EnforcementFailureMode failureModeOverride) {
		Objects.requireNonNull(call, "call");
		requireText(call.toolName(), "toolName");
		CallPolicy policy = this.options.policyFor(call.toolName(), failureModeOverride);
		if (!shouldEnforce(call.descriptor())) {
			return new ToolInvocation(this, call, null, call.toolInput(), null, false, false, policy);
		}
		requireText(call.sessionId(), "sessionId");
		ToolIdentity identity = identity(call);
		// the tool already ran with this input: over the bound it is truncated and marked, not refused
		BoundedJson input = this.truncator.bound(redactInput(call.toolName(), call.toolInput()),
				this.options.maxToolInputBytes, "tool_input");
		// the same end user as the pre-tool call of this tool use (the resolver is asked here, on the caller's
		// thread): a scan acting for the agent alone could pass an output the user's policies block
		RunlayerSubject subject;
		try {
			subject = this.subjects.resolve(call.subject(), call.sessionId());
		}
		catch (HookCallException ex) {
			// nothing is sent under an identity that may be wrong; the scan reports the outage
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy, ex);
		}
		call = (subject != call.subject()) ? call.withSubject(subject) : call;
		return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, policy);
	}

	/** See {@link ToolInvocation#complete(Object, Type)}. */
	Object postTool(ToolInvocation invocation, Object output, Type declaredType) {
		ToolIdentity identity = invocation.identity();
		ToolDescriptor descriptor = invocation.call().descriptor();
		CallPolicy policy = invocation.policy();
		Report report = this.reporter.start(EnforcementStage.POST_TOOL, descriptor, identity.sessionId(),
				identity.toolUseId(), policy);
		if (invocation.subjectFailure() != null) {
			// a resumed call whose subject could not be resolved: an outage, for the failure mode to decide
			this.reporter.outage(report, invocation.subjectFailure().getMessage(), invocation.subjectFailure());
			return output;
		}
		BoundedJson response;
		try {
			response = this.truncator.bound(redactOutput(identity.toolName(), output),
					this.options.maxToolOutputBytes, "tool_response");
		}
		catch (RunlayerException ex) {
			// The output cannot be scanned, so it cannot be released (fail-closed whatever the failure mode).
			if (this.reporter.decided(report, EnforcementDecision.BLOCK, ex.getMessage())) {
				throw new RunlayerBlockedException(ex.getMessage(), EnforcementStage.POST_TOOL, false, ex);
			}
			return output;
		}
		catch (RuntimeException ex) {
			// e.g. a getter of the output that throws: not scannable either
			String problem = "The tool output cannot be serialized for the Runlayer scan: "
					+ ex.getClass().getSimpleName();
			if (this.reporter.decided(report, EnforcementDecision.BLOCK, problem)) {
				throw new RunlayerBlockedException(problem, EnforcementStage.POST_TOOL, false, ex);
			}
			return output;
		}
		PostToolDecision decision;
		try {
			HookResponse answer = this.transport.postJson(HookEndpoint.TOOL_POST, null,
					this.payloads.toBytes(this.payloads.postToolUse(identity, invocation.boundedInput(), response)),
					policy.postTimeout(), invocation.call().subject());
			decision = this.responses.postTool(answer.body());
		}
		catch (HookCallException ex) {
			this.reporter.callFailed(report, ex);
			return output;
		}
		catch (RuntimeException ex) {
			this.reporter.outage(report, EnforcementReporter.unexpected(ex), ex);
			return output;
		}
		if (decision instanceof PostToolDecision.Invalid invalid) {
			this.reporter.outage(report, "Runlayer answered badly: " + invalid.problem(), null);
			return output;
		}
		if (decision instanceof PostToolDecision.Block block) {
			if (this.reporter.decided(report, EnforcementDecision.BLOCK, block.reason())) {
				throw new RunlayerBlockedException(block.reason(), EnforcementStage.POST_TOOL, false);
			}
			return output;
		}
		if (decision instanceof PostToolDecision.Mask mask) {
			if (policy.monitor()) {
				this.reporter.decided(report, EnforcementDecision.MASK, "output masked");
				return output;
			}
			try {
				Object masked = this.outputs.convert(mask.modifiedOutput(), output, declaredType);
				this.reporter.masked(report, output, mask.modifiedOutput());
				return masked;
			}
			catch (IllegalArgumentException ex) {
				this.reporter.decided(report, EnforcementDecision.BLOCK, ex.getMessage());
				throw new RunlayerBlockedException(ex.getMessage(), EnforcementStage.POST_TOOL, false);
			}
		}
		this.reporter.decided(report, EnforcementDecision.ALLOW, null);
		return output;
	}

	/**
	 * See {@link ToolInvocation#fail(Throwable)}: best-effort, never throws. Sends what exists: {@code error} (the
	 * exception type and message), {@code stdout} and {@code stderr} only when the tool gives them
	 * ({@link ToolFailureOutput}), and {@code output}: the tool's own failure output when it gives one, else the
	 * exception type and message, or its stack trace when failure stack traces are on. Each is bounded by the
	 * output cap; the POST is queued on the session's event lane.
	 */
	void toolFailed(ToolInvocation invocation, Throwable error) {
		String message;
		ToolFailureOutput details;
		Object output;
		try {
			// the tool's exception is described here, and may itself fail to (a getMessage() that throws): the
			// caller must still get that exception, unchanged
			message = (error == null) ? "unknown error"
					: error.getClass().getName() + ((error.getMessage() != null) ? ": " + error.getMessage() : "");
			details = (error instanceof ToolFailureOutput given) ? given : null;
			output = (details != null) ? details.output() : null;
			if (output == null) {
				output = (this.options.failureStackTraces && error != null) ? stackTrace(error) : message;
			}
		}
		catch (RuntimeException ex) {
			this.events.telemetryFailed(HookPayloads.POST_TOOL_USE_FAILURE, ex);
			return;
		}
		toolFailed(invocation, message, details, output, error instanceof InterruptedException);
	}

	/** See {@link ToolInvocation#fail(String, boolean)}: a failure reported as text by the tool's runtime. */
	void toolFailed(ToolInvocation invocation, String message, ToolFailureOutput details, Object output,
			boolean interrupt) {
		if (invocation.subjectFailure() != null) {
			// best-effort telemetry is dropped rather than sent under an identity that may be wrong
			this.events.telemetryFailed(HookPayloads.POST_TOOL_USE_FAILURE, invocation.subjectFailure());
			return;
		}
		try {
			Map<String, BoundedJson> fields = new LinkedHashMap<>();
			long cap = this.options.maxToolOutputBytes;
			fields.put("error", this.truncator.bound(message, cap, "error"));
			if (details != null && details.stdout() != null) {
				fields.put("stdout", this.truncator.bound(details.stdout(), cap, "stdout"));
			}
			if (details != null && details.stderr() != null) {
				fields.put("stderr", this.truncator.bound(details.stderr(), cap, "stderr"));
			}
			fields.put("output", this.truncator.bound(redactOutput(invocation.call().toolName(), output), cap, "output"));
			byte[] body = this.payloads.toBytes(this.payloads.postToolUseFailure(invocation.identity(),
					invocation.boundedInput(), fields, interrupt));
			// sent from the session's ordered event lane: the tool's exception reaches the caller without waiting
			// for Runlayer
			this.events.submitTelemetry(invocation.identity().sessionId(), HookPayloads.POST_TOOL_USE_FAILURE,
					() -> this.transport.postTelemetry(HookEndpoint.TOOL_POST, body, invocation.policy().postTimeout(),
							invocation.call().subject()));
		}
		catch (RuntimeException ex) {
			this.events.telemetryFailed(HookPayloads.POST_TOOL_USE_FAILURE, ex);
		}
	}

	private Map<String, Object> redactInput(String toolName, Map<String, Object> input) {
		if (this.options.redactor == RunlayerPayloadRedactor.NONE) {
			return input;
		}
		try {
			return this.options.redactor.redactToolInput(toolName, input);
		}
		catch (RuntimeException ex) {
			throw new RunlayerException("The RunlayerPayloadRedactor failed on the tool_input of tool '" + toolName
					+ "'; nothing was sent and the tool was not run", ex);
		}
	}

	private Object redactOutput(String toolName, Object output) {
		if (this.options.redactor == RunlayerPayloadRedactor.NONE) {
			return output;
		}
		try {
			return this.options.redactor.redactToolOutput(toolName, output);
		}
		catch (RuntimeException ex) {
			// caught as an output that cannot be scanned: never released unscanned
			throw new RunlayerException("The RunlayerPayloadRedactor failed on the output of tool '" + toolName + "'",
					ex);
		}
	}

	private static String stackTrace(Throwable error) {
		StringWriter trace = new StringWriter();
		error.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	private BoundedJson boundInput(String toolName, Map<String, Object> input) {
		BoundedJson bounded = this.truncator.bound(input, this.options.maxToolInputBytes, "tool_input");
		if (bounded.truncated()) {
			throw new RunlayerException("tool_input of tool '" + toolName + "' is "
					+ (bounded.originalBytesExact() ? "" : "at least ") + bounded.originalBytes()
					+ " bytes, over the limit of " + this.options.maxToolInputBytes
					+ " bytes (runlayer.max-tool-input-bytes); the tool was not run");
		}
		return bounded;
	}

}
