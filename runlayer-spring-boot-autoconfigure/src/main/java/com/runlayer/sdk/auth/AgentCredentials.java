package com.runlayer.sdk.auth;

import java.util.List;

import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.RunlayerSetting;

/**
 * Agent-account credentials: a client id and secret, optionally a subject for on-behalf-of tokens.
 * {@link #toString()} never shows the secret or the subject token.
 *
 * @param clientId the client id
 * @param clientSecret the client secret
 * @param subjectToken the subject token for OBO, or null
 * @param subjectTokenType the subject token type URN, or null
 */
public record AgentCredentials(String clientId, String clientSecret, String subjectToken, String subjectTokenType) {

	/** The subject token types Runlayer accepts. */
	public static final List<String> SUBJECT_TOKEN_TYPES = RunlayerSubject.TOKEN_TYPES;

	/**
	 * Validated credentials.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param subjectToken the subject token, or null
	 * @param subjectTokenType the subject token type, or null
	 * @return the credentials
	 * @throws RunlayerConfigurationException when the subject settings are incomplete or the type is unknown
	 */
	public static AgentCredentials of(String clientId, String clientSecret, String subjectToken,
			String subjectTokenType) {
		String token = blankToNull(subjectToken);
		String type = blankToNull(subjectTokenType);
		if (token != null && type == null) {
			throw new RunlayerConfigurationException(RunlayerSetting.AGENT_SUBJECT_TOKEN_TYPE,
					"A subject token is set but its type is missing; use one of " + String.join(", ", SUBJECT_TOKEN_TYPES));
		}
		if (type != null && token == null) {
			throw new RunlayerConfigurationException(RunlayerSetting.AGENT_SUBJECT_TOKEN,
					"A subject token type is set but the subject token is missing");
		}
		if (type != null && !SUBJECT_TOKEN_TYPES.contains(type)) {
			// quote the value only when it looks like a type: a swapped subject token must not end up in a message
			String shown = (type.startsWith("urn:") && type.length() <= 100) ? "'" + type + "'" : "(not a URN)";
			throw new RunlayerConfigurationException(RunlayerSetting.AGENT_SUBJECT_TOKEN_TYPE,
					"Unknown subject token type " + shown + "; use one of " + String.join(", ", SUBJECT_TOKEN_TYPES));
		}
		if (token != null && token.length() > RunlayerSubject.MAX_TOKEN_LENGTH) {
			throw new RunlayerConfigurationException(RunlayerSetting.AGENT_SUBJECT_TOKEN, "The subject token is "
					+ token.length() + " characters, over the limit of " + RunlayerSubject.MAX_TOKEN_LENGTH);
		}
		return new AgentCredentials(clientId, clientSecret, token, type);
	}

	/**
	 * Whether these credentials act on behalf of a user.
	 * @return the flag
	 */
	public boolean onBehalfOf() {
		return this.subjectToken != null;
	}

	/**
	 * The configured static subject.
	 * @return the subject, or null when none is configured
	 */
	public RunlayerSubject subject() {
		return (this.subjectToken != null) ? new RunlayerSubject(this.subjectToken, this.subjectTokenType) : null;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	@Override
	public String toString() {
		return "AgentCredentials[clientId=" + this.clientId + ", clientSecret=****, subjectToken="
				+ ((this.subjectToken != null) ? "****" : "null") + ", subjectTokenType=" + this.subjectTokenType + "]";
	}

}
