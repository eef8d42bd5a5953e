package com.runlayer.sdk.auth;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

import com.runlayer.sdk.auth.TokenSlot.CachedToken;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookCallException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a token endpoint answer: the access token (RFC 6750 characters only) and its lifetime, from
 * {@code expires_in}, else the JWT {@code exp}, else one hour, clamped to {@link #MAX_LIFETIME} so that no answer
 * can overflow the clock arithmetic; refresh when less than max(60 s, 10 % of the lifetime) remains.
 */
final class TokenAnswers {

	private static final Logger logger = LoggerFactory.getLogger(TokenAnswers.class);

	/** The longest lifetime a token is trusted for; a longer or out-of-range answer is cut to this. */
	static final Duration MAX_LIFETIME = Duration.ofHours(24);

	private static final BigDecimal MAX_LIFETIME_SECONDS = BigDecimal.valueOf(MAX_LIFETIME.toSeconds());

	private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

	private static final Duration MIN_REFRESH_MARGIN = Duration.ofSeconds(60);

	private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Clock clock;

	TokenAnswers(Clock clock) {
		this.clock = clock;
	}

	CachedToken parse(byte[] body, String grant) {
		JsonNode root;
		try {
			root = this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			root = null;
		}
		JsonNode accessToken = (root != null && root.isObject()) ? root.get("access_token") : null;
		if (accessToken == null || !accessToken.isString() || accessToken.stringValue().isBlank()) {
			throw new HookCallException(Kind.AUTH, 0,
					"Runlayer token endpoint answered the " + grant + " grant without an access_token", null);
		}
		String value = accessToken.stringValue();
		if (!BEARER_TOKEN.matcher(value).matches()) {
			// it goes into the Authorization header: refuse anything but RFC 6750 token characters, never quoting it
			throw new HookCallException(Kind.AUTH, 0, "Runlayer token endpoint answered the " + grant
					+ " grant with an access_token that is not a valid bearer token (RFC 6750 characters only)", null);
		}
		Instant now = this.clock.instant();
		Duration lifetime = lifetime(seconds(root.get("expires_in")));
		if (lifetime == null) {
			BigDecimal exp = seconds(jwtClaim(value, "exp"));
			lifetime = (exp != null) ? lifetime(exp.subtract(BigDecimal.valueOf(now.getEpochSecond()))) : null;
		}
		if (lifetime == null) {
			lifetime = DEFAULT_LIFETIME;
		}
		Instant expiresAt = now.plus(lifetime);
		Instant refreshAt = expiresAt.minus(refreshMargin(lifetime));
		logger.debug("Runlayer agent token minted ({} grant), lifetime {} s", grant, lifetime.toSeconds());
		return new CachedToken(value, expiresAt, refreshAt);
	}

	/** A positive number of seconds as a lifetime, at most {@link #MAX_LIFETIME}; null when absent or not positive. */
	static Duration lifetime(BigDecimal seconds) {
		if (seconds == null || seconds.signum() <= 0) {
			return null;
		}
		if (seconds.compareTo(MAX_LIFETIME_SECONDS) >= 0) {
			return MAX_LIFETIME;
		}
		long millis = seconds.movePointRight(3).longValue();
		return (millis > 0) ? Duration.ofMillis(millis) : null;
	}

	/**
	 * Refresh when less than max(60 s, 10 % of the lifetime) remains. A lifetime so short that this margin would
	 * swallow it is cut to half the lifetime, so that a short-lived token is still reused for a while instead of
	 * causing a token request on every call.
	 */
	static Duration refreshMargin(Duration lifetime) {
		Duration margin = lifetime.dividedBy(10);
		if (margin.compareTo(MIN_REFRESH_MARGIN) < 0) {
			margin = MIN_REFRESH_MARGIN;
		}
		Duration half = lifetime.dividedBy(2);
		return (margin.compareTo(half) > 0) ? half : margin;
	}

	private static BigDecimal seconds(JsonNode node) {
		try {
			if (node == null) {
				return null;
			}
			if (node.isNumber()) {
				return node.decimalValue();
			}
			if (node.isString()) {
				String text = node.stringValue().trim();
				return (text.length() <= 64) ? new BigDecimal(text) : null;
			}
		}
		catch (RuntimeException ex) {
			// NaN, infinity or not a number: no lifetime from this field
		}
		return null;
	}

	private JsonNode jwtClaim(String token, String claim) {
		String[] parts = token.split("\\.");
		if (parts.length < 2) {
			return null;
		}
		try {
			JsonNode claims = this.jsonMapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
			return (claims != null && claims.isObject()) ? claims.get(claim) : null;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return null;
		}
	}

}
