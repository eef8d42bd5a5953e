package com.runlayer.sdk.auth;

import java.util.Set;

import org.springframework.http.HttpHeaders;

/**
 * How hook calls authenticate: a user API key header, or an agent-account bearer token minted by the SDK (for a
 * call that acts for a user, that user's on-behalf-of token).
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
	 * Whether calls can act for a per-call subject (on-behalf-of tokens); false for an API key.
	 * @return the flag
	 */
	default boolean supportsSubjects() {
		return false;
	}

	/**
	 * Adds the credentials to a hook request, minting or refreshing a token first if needed, within the call's
	 * deadline.
	 * @param headers the request headers to add to
	 * @param subject the user the call acts for, or null for the configured one (or none)
	 * @param deadlineNanos the call's deadline on the {@link System#nanoTime()} scale
	 * @throws com.runlayer.sdk.RunlayerException when no credential can be had (e.g. the token endpoint failed)
	 */
	void authenticate(HttpHeaders headers, RunlayerSubject subject, long deadlineNanos);

	/**
	 * Called once when a hook endpoint answered 401: drops the cached credential that was rejected. A credential
	 * that another thread already replaced is kept, so that many concurrent 401s cause one refresh, not many.
	 * @param rejected the headers of the request that was answered 401 (as filled by {@link #authenticate})
	 * @param subject the subject the request was authenticated for, or null
	 * @return whether resending with fresh credentials makes sense (false for a static API key)
	 */
	boolean invalidate(HttpHeaders rejected, RunlayerSubject subject);

	/**
	 * The long-lived secret values this authentication holds, so that they can be scrubbed from error excerpts.
	 * Per-user tokens are not listed (there may be thousands); {@link #scrub(String, HttpHeaders)} scrubs the one a
	 * request carried.
	 * @return the secrets currently known (API key, client secret, static subject token, M2M token)
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

	/**
	 * Like {@link #scrub(String)}, and also replaces the credential values a request carried (its
	 * {@code Authorization} bearer token and API key header).
	 * @param text the text, may be null
	 * @param sent the credential headers the request carried, may be null
	 * @return the scrubbed text, or null for null
	 */
	default String scrub(String text, HttpHeaders sent) {
		String scrubbed = scrub(text);
		if (scrubbed == null || sent == null) {
			return scrubbed;
		}
		String[] result = { scrubbed };
		sent.forEach((name, values) -> {
			for (String value : values) {
				String secret = (value != null && value.startsWith("Bearer ")) ? value.substring(7) : value;
				if (secret != null && secret.length() >= 4) {
					result[0] = result[0].replace(secret, "[redacted]");
				}
			}
		});
		return result[0];
	}

}
