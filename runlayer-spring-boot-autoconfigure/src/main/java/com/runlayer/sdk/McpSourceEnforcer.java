package com.runlayer.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.hooks.McpSourceDecision;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.EnforcementReporter.Report;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static com.runlayer.sdk.RunlayerClient.requireText;

/**
 * Direct MCP source enforcement on the configured cursor route. Decides when the route is usable (a configured
 * path and a user API key), what a valid check is (exactly one of url or command, an input within the bound) and
 * maps the route's answer to allow or block.
 */
final class McpSourceEnforcer {

	private final ClientSettings options;

	private final HookAuthentication authentication;

	private final JsonMapper jsonMapper;

	private final GuardedTransport transport;

	private final HookPayloads payloads;

	private final HookResponses responses;

	private final EnforcementReporter reporter;

	McpSourceEnforcer(ClientSettings options, HookAuthentication authentication, JsonMapper jsonMapper, GuardedTransport transport,
			HookPayloads payloads, HookResponses responses, EnforcementReporter reporter) {
		this.options = options;
		this.authentication = authentication;
		this.jsonMapper = jsonMapper;
		this.transport = transport;
		this.payloads = payloads;
		this.responses = responses;
		this.reporter = reporter;
	}

	/** See {@link RunlayerClient#enforceMcpSource(McpSourceCheck, EnforcementFailureMode)}. */
	void enforce(McpSourceCheck check, EnforcementFailureMode failureModeOverride) {
		Objects.requireNonNull(check, "check");
		String path = this.options.directMcpSourceEnforcementPath;
		if (path == null) {
			throw new RunlayerConfigurationException(RunlayerSetting.DIRECT_MCP_SOURCE_ENFORCEMENT_PATH,
					"Direct MCP source enforcement is not configured: set the route path, e.g. /api/v1/hooks/cursor");
		}
		if (this.authentication.mode() != AuthMode.API_KEY) {
			throw new RunlayerConfigurationException(RunlayerSetting.API_KEY,
					"Direct MCP source enforcement needs a user API key (RUNLAYER_API_KEY); agent-account bearer auth"
							+ " is not accepted on this route");
		}
		requireText(check.sessionId(), "sessionId");
		requireText(check.toolName(), "toolName");
		requireText(check.generationId(), "generationId");
		boolean hasUrl = check.url() != null && !check.url().isBlank();
		boolean hasCommand = check.command() != null && !check.command().isBlank();
		if (hasUrl == hasCommand) {
			throw new RunlayerException("McpSourceCheck needs exactly one of url or command");
		}
		CallPolicy policy = this.options.policyFor(check.toolName(), failureModeOverride);
		ToolDescriptor descriptor = new ToolDescriptor(check.toolName(), "mcp", check.mcpServerName(),
				hasUrl ? check.url() : null);
		String inputJson;
		try {
			inputJson = (check.toolInput() != null) ? this.jsonMapper.writeValueAsString(check.toolInput()) : "{}";
		}
		catch (tools.jackson.core.JacksonException ex) {
			throw new RunlayerException("tool_input of tool '" + check.toolName() + "' cannot be serialized to JSON: "
					+ ex.getOriginalMessage(), ex);
		}
		if (inputJson.length() > this.options.maxToolInputBytes
				|| inputJson.getBytes(StandardCharsets.UTF_8).length > this.options.maxToolInputBytes) {
			throw new RunlayerException("tool_input of tool '" + check.toolName() + "' is over the limit of "
					+ this.options.maxToolInputBytes + " bytes (runlayer.max-tool-input-bytes); the MCP call was not checked");
		}
		Report report = this.reporter.start(EnforcementStage.MCP_SOURCE, descriptor, check.sessionId(), null, policy);
		McpSourceDecision decision;
		try {
			ObjectNode body = this.payloads.mcpSource(check.sessionId(), check.generationId(), check.toolName(),
					inputJson, hasUrl ? check.url() : null, hasCommand ? check.command() : null, check.mcpServerName());
			HookResponse response = this.transport.postJson(HookEndpoint.MCP_SOURCE, path, this.payloads.toBytes(body),
					policy.preTimeout(), null);
			decision = this.responses.mcpSource(response.body());
		}
		catch (HookCallException ex) {
			this.reporter.callFailed(report, ex);
			return;
		}
		catch (RuntimeException ex) {
			this.reporter.outage(report, EnforcementReporter.unexpected(ex), ex);
			return;
		}
		if (decision instanceof McpSourceDecision.Invalid invalid) {
			this.reporter.outage(report, "Runlayer answered badly: " + invalid.problem(), null);
			return;
		}
		if (decision instanceof McpSourceDecision.Deny deny) {
			if (this.reporter.decided(report, EnforcementDecision.BLOCK, deny.userMessage())) {
				throw new RunlayerBlockedException(deny.userMessage(), deny.agentMessage(), EnforcementStage.MCP_SOURCE,
						false, null);
			}
			return;
		}
		this.reporter.decided(report, EnforcementDecision.ALLOW, null);
	}

}
