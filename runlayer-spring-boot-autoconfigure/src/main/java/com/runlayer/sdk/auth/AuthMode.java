package com.runlayer.sdk.auth;

/**
 * Which credential the client uses; shown in diagnostics instead of the credential.
 */
public enum AuthMode {

	/** A user or organization API key, sent as {@code x-runlayer-api-key}. */
	API_KEY,

	/** An agent account: client credentials exchanged for a bearer token. */
	AGENT,

	/** An agent account acting on behalf of a user (RFC 8693 token exchange). */
	AGENT_OBO

}
