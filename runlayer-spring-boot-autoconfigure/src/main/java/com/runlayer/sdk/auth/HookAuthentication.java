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
	 * Called once when a hook endpoint answered 401: drops the cached credential that was rejected. A credential
	 * that another thread already replaced is kept, so that many concurrent 401s cause one refresh, not many.
	 * @param rejected the headers of the request that was answered 401 (as filled by {@link #authenticate})
	 * @return whether resending with fresh credentials makes sense (false for a static API key)
	 */
	boolean invalidate(HttpHeaders rejected);

	/**
	 * The secret values this authentication holds, so that they can be scrubbed from error excerpts.
	 * @return the secrets currently known (API key, client secret, subject token, cached tokens)
	 */
	Set<String> secrets();

	/**
	 * Replaces every secret this authentication currently knows (see {@link #secrets()}) in a text with
	 * {@code [redacted]}; values shorter than 4 characters are left alone.
	 * @param text the text, may be null
	 * @return the scrubbed text, or null for null
	 */
	default String scrub(String text) {
		if (text == null) {
			return null;
		}
		String result = text;
		for (String secret : secrets()) {
			if (secret != null && secret.length() >= 4) {
				result = result.replace(secret, "[redacted]");
			}
		}
		return result;
	}

}
