package com.runlayer.sdk.auth;

import java.util.Set;

import org.springframework.http.HttpHeaders;

/**
 * Authenticates hook calls with a Runlayer API key in the {@code x-runlayer-api-key} header (sent raw, not as a
 * bearer token). Immutable and thread-safe.
 */
public final class ApiKeyAuthentication implements HookAuthentication {

	/** The API key header name. */
	public static final String HEADER = "x-runlayer-api-key";

	private final String apiKey;

	/**
	 * Creates the authentication.
	 * @param apiKey the API key
	 */
	public ApiKeyAuthentication(String apiKey) {
		this.apiKey = apiKey;
	}

	@Override
	public AuthMode mode() {
		return AuthMode.API_KEY;
	}

	@Override
	public void authenticate(HttpHeaders headers, RunlayerSubject subject, long deadlineNanos) {
		headers.set(HEADER, this.apiKey);
	}

	@Override
	public boolean invalidate(HttpHeaders rejected, RunlayerSubject subject) {
		return false;
	}

	@Override
	public Set<String> secrets() {
		return Set.of(this.apiKey);
	}

	@Override
	public String toString() {
		return "ApiKeyAuthentication[apiKey=****]";
	}

}
