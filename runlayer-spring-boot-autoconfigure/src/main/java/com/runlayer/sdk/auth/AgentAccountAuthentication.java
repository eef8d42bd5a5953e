package com.runlayer.sdk.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookCallException.Kind;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import com.runlayer.sdk.transport.HookTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;

/**
 * Agent-account authentication (D6): exchanges the client id and secret for a bearer token at
 * {@code /api/v1/oauth/token} ({@code client_credentials}, form-encoded), optionally exchanges that token for an
 * on-behalf-of token (RFC 8693), caches the token and refreshes it when less than max(60 s, 10 % of its lifetime)
 * remains (at most half the lifetime, so that short-lived tokens are still reused). At most one token request is in
 * flight at a time, however many threads need a token; while a refresh runs, other threads keep using the
 * still-valid token, and a failed early refresh keeps the still-valid token and is retried after a few seconds. A 401
 * from a hook endpoint drops only the token that was rejected, so concurrent 401s cause one refresh.
 *
 * <p>Token failures surface as {@link HookCallException} of kind {@code AUTH} whose message names the grant and the
 * settings to check and never contains the secret, the subject token or a token. Thread-safe.
 */
public final class AgentAccountAuthentication implements HookAuthentication {

	private static final Logger logger = LoggerFactory.getLogger(AgentAccountAuthentication.class);

	static final String TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private static final java.util.regex.Pattern BEARER_TOKEN = java.util.regex.Pattern
		.compile("[A-Za-z0-9\\-._~+/]+=*");

	private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

	private static final Duration MIN_REFRESH_MARGIN = Duration.ofSeconds(60);

	private static final Duration REFRESH_RETRY_INTERVAL = Duration.ofSeconds(5);

	private static final String CLIENT_SETTINGS = "runlayer.agent.client-id / RUNLAYER_AGENT_CLIENT_ID and"
			+ " runlayer.agent.client-secret / RUNLAYER_AGENT_CLIENT_SECRET";

	private static final String OBO_SETTINGS = "runlayer.agent.subject-token / RUNLAYER_AGENT_SUBJECT_TOKEN,"
			+ " runlayer.agent.subject-token-type / RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE, the user's active delegation to"
			+ " this agent account, and " + CLIENT_SETTINGS;

	private final AgentCredentials credentials;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final ReentrantLock refreshLock = new ReentrantLock();

	private final Clock clock;

	private volatile HookTransport transport;

	private volatile CachedToken current;

	private volatile CachedToken actor;

	private volatile Instant nextRefreshAttempt = Instant.MIN;

	/**
	 * Creates the authentication.
	 * @param credentials the agent credentials
	 */
	public AgentAccountAuthentication(AgentCredentials credentials) {
		this(credentials, Clock.systemUTC());
	}

	AgentAccountAuthentication(AgentCredentials credentials, Clock clock) {
		this.credentials = credentials;
		this.clock = clock;
	}

	/**
	 * Sets the transport used for token requests (unauthenticated, same base URL and TLS settings).
	 * @param tokenTransport the transport
	 */
	public void useTransport(HookTransport tokenTransport) {
		this.transport = tokenTransport;
	}

	@Override
	public AuthMode mode() {
		return this.credentials.onBehalfOf() ? AuthMode.AGENT_OBO : AuthMode.AGENT;
	}

	@Override
	public void authenticate(HttpHeaders headers) {
		headers.setBearerAuth(token());
	}

	/**
	 * A valid bearer token, minted or refreshed when needed.
	 * @return the token
	 * @throws HookCallException (kind AUTH) when no token can be had
	 */
	String token() {
		Instant now = this.clock.instant();
		CachedToken token = this.current;
		if (token != null && (now.isBefore(token.refreshAt()) || now.isBefore(this.nextRefreshAttempt))
				&& now.isBefore(token.expiresAt())) {
			return token.value();
		}
		if (token != null && now.isBefore(token.expiresAt()) && this.refreshLock.isLocked()) {
			// another thread is refreshing; the cached token is still valid
			return token.value();
		}
		this.refreshLock.lock();
		try {
			token = this.current;
			now = this.clock.instant();
			if (token != null && now.isBefore(token.expiresAt())
					&& (now.isBefore(token.refreshAt()) || now.isBefore(this.nextRefreshAttempt))) {
				return token.value();
			}
			try {
				CachedToken fresh = this.credentials.onBehalfOf() ? exchangeOnBehalfOf() : clientCredentials();
				this.current = fresh;
				this.nextRefreshAttempt = Instant.MIN;
				return fresh.value();
			}
			catch (HookCallException ex) {
				now = this.clock.instant();
				if (token != null && now.isBefore(token.expiresAt())) {
					// An early refresh failed but the token is still valid: keep using it and try again a bit later,
					// rather than failing calls that would succeed.
					this.nextRefreshAttempt = now.plus(REFRESH_RETRY_INTERVAL);
					logger.warn("Runlayer agent token refresh failed, using the current token until {}: {}",
							token.expiresAt(), ex.getMessage());
					return token.value();
				}
				throw ex;
			}
		}
		finally {
			this.refreshLock.unlock();
		}
	}

	private CachedToken clientCredentials() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_id", this.credentials.clientId());
		form.put("client_secret", this.credentials.clientSecret());
		return request(form, "client_credentials", CLIENT_SETTINGS);
	}

	private CachedToken exchangeOnBehalfOf() {
		CachedToken actorToken = this.actor;
		if (actorToken == null || !this.clock.instant().isBefore(actorToken.refreshAt())) {
			actorToken = clientCredentials();
			this.actor = actorToken;
		}
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", TOKEN_EXCHANGE_GRANT);
		form.put("subject_token", this.credentials.subjectToken());
		form.put("subject_token_type", this.credentials.subjectTokenType());
		form.put("actor_token", actorToken.value());
		form.put("actor_token_type", ACCESS_TOKEN_TYPE);
		form.put("client_id", this.credentials.clientId());
		form.put("client_secret", this.credentials.clientSecret());
		return request(form, "token-exchange (on-behalf-of)", OBO_SETTINGS);
	}

	private CachedToken request(Map<String, String> form, String grant, String settings) {
		HookTransport tokenTransport = this.transport;
		if (tokenTransport == null) {
			throw new HookCallException(Kind.AUTH, 0, "Agent-account authentication has no transport", null);
		}
		HookResponse response;
		try {
			response = tokenTransport.postForm(HookEndpoint.OAUTH_TOKEN, encode(form));
		}
		catch (HookCallException ex) {
			// A token endpoint's error body may echo the credentials, or tokens this client never saw and so cannot
			// scrub: a status failure is reported by its status only and its exception (which quotes the body) is
			// not chained; a transport failure's message is scrubbed.
			String detail = (ex.kind() == Kind.STATUS) ? "HTTP " + ex.status()
					: scrub(Objects.toString(ex.getMessage(), ""));
			if (ex.kind() == Kind.STATUS && (ex.status() == 400 || ex.status() == 401)) {
				throw new HookCallException(Kind.AUTH, ex.status(), "Runlayer rejected the agent-account " + grant
						+ " grant at " + HookEndpoint.OAUTH_TOKEN.defaultPath() + " (HTTP " + ex.status()
						+ "): check " + settings, null);
			}
			throw new HookCallException(Kind.AUTH, ex.status(),
					"Agent-account token request (" + grant + " grant) failed, so the hook call was not sent: " + detail
							+ " (settings involved: " + settings + ")",
					(ex.kind() == Kind.STATUS) ? null : ex.getCause());
		}
		return parse(response.body(), grant);
	}

	private CachedToken parse(byte[] body, String grant) {
		JsonNode root;
		try {
			root = this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			root = null;
		}
		if (root == null || !root.isObject() || root.get("access_token") == null || !root.get("access_token").isString()
				|| root.get("access_token").stringValue().isBlank()) {
			throw new HookCallException(Kind.AUTH, 0,
					"Runlayer token endpoint answered the " + grant + " grant without an access_token", null);
		}
		String value = root.get("access_token").stringValue();
		if (!BEARER_TOKEN.matcher(value).matches()) {
			// it goes into the Authorization header: refuse anything but RFC 6750 token characters, never quoting it
			throw new HookCallException(Kind.AUTH, 0, "Runlayer token endpoint answered the " + grant
					+ " grant with an access_token that is not a valid bearer token (RFC 6750 characters only)", null);
		}
		Instant now = this.clock.instant();
		Duration lifetime = null;
		long expiresIn = seconds(root.get("expires_in"));
		if (expiresIn > 0) {
			lifetime = Duration.ofSeconds(expiresIn);
		}
		if (lifetime == null) {
			Instant exp = jwtExpiry(value);
			if (exp != null && exp.isAfter(now)) {
				lifetime = Duration.between(now, exp);
			}
		}
		if (lifetime == null) {
			lifetime = DEFAULT_LIFETIME;
		}
		Duration margin = refreshMargin(lifetime);
		Instant expiresAt = now.plus(lifetime);
		Instant refreshAt = expiresAt.minus(margin);
		logger.debug("Runlayer agent token minted ({} grant), lifetime {} s", grant, lifetime.toSeconds());
		return new CachedToken(value, expiresAt, refreshAt);
	}

	/**
	 * D6: refresh when less than max(60 s, 10 % of the lifetime) remains. A lifetime so short that this margin
	 * would swallow it is cut to half the lifetime, so that a short-lived token is still reused for a while instead of
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

	private static long seconds(JsonNode node) {
		if (node == null) {
			return 0;
		}
		if (node.isNumber()) {
			return node.asLong();
		}
		if (node.isString()) {
			try {
				return Long.parseLong(node.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}
		return 0;
	}

	private Instant jwtExpiry(String token) {
		String[] parts = token.split("\\.");
		if (parts.length < 2) {
			return null;
		}
		try {
			byte[] json = Base64.getUrlDecoder().decode(parts[1]);
			JsonNode claims = this.jsonMapper.readTree(json);
			JsonNode exp = (claims != null) ? claims.get("exp") : null;
			return (exp != null && exp.isNumber()) ? Instant.ofEpochSecond(exp.asLong()) : null;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return null;
		}
	}

	private static byte[] encode(Map<String, String> form) {
		StringBuilder body = new StringBuilder();
		form.forEach((key, value) -> {
			if (body.length() > 0) {
				body.append('&');
			}
			body.append(URLEncoder.encode(key, StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
		});
		return body.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public boolean invalidate(HttpHeaders rejected) {
		String auth = (rejected != null) ? rejected.getFirst(HttpHeaders.AUTHORIZATION) : null;
		String rejectedToken = (auth != null && auth.startsWith("Bearer ")) ? auth.substring(7) : null;
		this.refreshLock.lock();
		try {
			CachedToken token = this.current;
			if (token != null && (rejectedToken == null || token.value().equals(rejectedToken))) {
				this.current = null;
				// the OBO token may have been rejected because the actor token was revoked
				this.actor = null;
				this.nextRefreshAttempt = Instant.MIN;
			}
		}
		finally {
			this.refreshLock.unlock();
		}
		return true;
	}

	@Override
	public Set<String> secrets() {
		Set<String> secrets = new HashSet<>();
		secrets.add(this.credentials.clientSecret());
		if (this.credentials.subjectToken() != null) {
			secrets.add(this.credentials.subjectToken());
		}
		CachedToken token = this.current;
		if (token != null) {
			secrets.add(token.value());
		}
		CachedToken actorToken = this.actor;
		if (actorToken != null) {
			secrets.add(actorToken.value());
		}
		return secrets;
	}

	@Override
	public String toString() {
		return "AgentAccountAuthentication[clientId=" + this.credentials.clientId() + ", mode=" + mode() + "]";
	}

	private record CachedToken(String value, Instant expiresAt, Instant refreshAt) {

		@Override
		public String toString() {
			return "CachedToken[expiresAt=" + this.expiresAt + "]";
		}

	}

}
