package com.runlayer.sdk.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

import com.runlayer.sdk.RunlayerException;

/**
 * The end user an agent acts for on one call: a subject token and its type, exchanged for an on-behalf-of agent
 * token (RFC 8693) so that Runlayer's policies and audit see that user.
 *
 * <p>The token is a secret when it is an access token: {@link #toString()} shows the type only, and the SDK never
 * writes the token to logs, exceptions, metrics or the actuator.
 *
 * @param token the subject token: a Runlayer user id, a user e-mail or an OAuth access token
 * @param tokenType the token type URN, one of {@link #TOKEN_TYPES}
 */
public record RunlayerSubject(String token, String tokenType) {

	/** A Runlayer user id (UUID) with an active delegation to the agent account. */
	public static final String USER_ID = "urn:runlayer:token-type:user-id";

	/** A user e-mail address with an active delegation to the agent account. */
	public static final String USER_EMAIL = "urn:runlayer:token-type:user-email";

	/** An OAuth access token of the user (RFC 8693). */
	public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	/** The subject token types Runlayer accepts. */
	public static final List<String> TOKEN_TYPES = List.of(USER_ID, USER_EMAIL, ACCESS_TOKEN);

	/** The longest subject token accepted, in characters (16 KiB, room for large JWTs). */
	public static final int MAX_TOKEN_LENGTH = 16 * 1024;

	/**
	 * Validates the subject.
	 * @param token the subject token
	 * @param tokenType the token type URN
	 * @throws RunlayerException when the token is blank or too long, or the type is not one of {@link #TOKEN_TYPES}
	 * (the message never quotes the token)
	 */
	public RunlayerSubject {
		if (tokenType == null || !TOKEN_TYPES.contains(tokenType)) {
			String shown = (tokenType != null && tokenType.startsWith("urn:") && tokenType.length() <= 100)
					? "'" + tokenType + "'" : "(not a known URN)";
			throw new RunlayerException("RunlayerSubject.tokenType " + shown + " is not one of "
					+ String.join(", ", TOKEN_TYPES));
		}
		if (token == null || token.isBlank()) {
			throw new RunlayerException("RunlayerSubject.token must not be blank");
		}
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw new RunlayerException("RunlayerSubject.token is " + token.length() + " characters, over the limit of "
					+ MAX_TOKEN_LENGTH);
		}
	}

	/**
	 * A Runlayer user id.
	 * @param userId the id
	 * @return the subject
	 */
	public static RunlayerSubject userId(String userId) {
		return new RunlayerSubject(userId, USER_ID);
	}

	/**
	 * A user e-mail address.
	 * @param email the address
	 * @return the subject
	 */
	public static RunlayerSubject userEmail(String email) {
		return new RunlayerSubject(email, USER_EMAIL);
	}

	/**
	 * A user's OAuth access token.
	 * @param accessToken the token
	 * @return the subject
	 */
	public static RunlayerSubject accessToken(String accessToken) {
		return new RunlayerSubject(accessToken, ACCESS_TOKEN);
	}

	/**
	 * A one-way key of this subject for the token cache, so that the cache does not keep subject tokens.
	 * @return the key
	 */
	String cacheKey() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(this.tokenType.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(this.token.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "RunlayerSubject[tokenType=" + this.tokenType + ", token=****]";
	}

}
