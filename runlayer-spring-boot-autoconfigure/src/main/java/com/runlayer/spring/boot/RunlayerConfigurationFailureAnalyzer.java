package com.runlayer.spring.boot;

import com.runlayer.sdk.RunlayerConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a Runlayer configuration error at startup into a clear report: what is wrong, which property or
 * environment variable to set, or how to switch Runlayer off.
 */
public class RunlayerConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RunlayerConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RunlayerConfigurationException cause) {
		String description = "The Runlayer starter is on the classpath but not configured correctly:\n\n    "
				+ cause.getMessage();
		StringBuilder action = new StringBuilder();
		if (cause.setting() != null) {
			action.append("Set ").append(cause.setting().property());
			cause.setting().envVar().ifPresent((env) -> action.append(" (or the environment variable ").append(env).append(')'));
			action.append(" correctly");
		}
		else {
			action.append("Configure runlayer.base-url and exactly one of runlayer.api-key or runlayer.agent.client-id +"
					+ " runlayer.agent.client-secret (RUNLAYER_BASE_URL, RUNLAYER_API_KEY, RUNLAYER_AGENT_CLIENT_ID,"
					+ " RUNLAYER_AGENT_CLIENT_SECRET)");
		}
		action.append(", or set runlayer.enabled=false to run without Runlayer.");
		return new FailureAnalysis(description, action.toString(), cause);
	}

}
