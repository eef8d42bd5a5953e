package com.runlayer.sdk.auth;

import java.util.Set;

import org.springframework.http.HttpHeaders;

/**
 * How hook calls authenticate: a user API key header, or an agent-account bearer token minted by the SDK.
 *
 * <p>Internal SPI of the SDK; implementations must be thread-safe.
 */
public interface HookAuthentication {

	/**
	 * The authentication mode, for diagnostics (never the credential itself).
	 * @return the mode
	 */
	AuthMode mode();

	/**
	 * Adds the credentials to a hook request, minting or refreshing a token first if needed.
	 * @param headers the request headers to add to
	 * @throws com.runlayer.sdk.RunlayerException when no credential can be had (e.g. the token endpoint failed)
	 */
	void authenticate(HttpHeaders headers);

	/**
	 * Called once when a hook endpoint answered 401: drops cached credentials.
	 * @return whether resending with fresh credentials makes sense (false for a static API key)
	 */
	boolean invalidate();

	/**
	 * The secret values this authentication holds, so that they can be scrubbed from error excerpts.
	 * @return the secrets currently known (API key, client secret, subject token, cached tokens)
	 */
	Set<String> secrets();

}
