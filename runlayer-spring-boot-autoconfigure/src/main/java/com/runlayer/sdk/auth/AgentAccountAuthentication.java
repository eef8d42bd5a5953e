package com.runlayer.sdk.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.runlayer.sdk.auth.TokenSlot.CachedToken;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookCallException.Kind;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import com.runlayer.sdk.transport.HookTransport;

import org.springframework.http.HttpHeaders;

/**
 * Agent-account authentication: exchanges the client id and secret for a bearer token at
 * {@code /api/v1/oauth/token} ({@code client_credentials}, form-encoded) and, for a call that acts for a user,
 * exchanges that token (as the actor) and the user's subject token for an on-behalf-of token (RFC 8693).
 *
 * <p>The M2M token is cached once and shared by every subject; on-behalf-of tokens are cached per subject (keyed by a
 * one-way hash of it) in a cache bounded in size and idle time, so a user's token is only ever sent on that user's
 * calls. Each token is refreshed when less than max(60 s, 10 % of its lifetime) remains (at most half the lifetime);
 * lifetimes are clamped to 24 hours. Per token, at most one request is in flight; it runs inside the remaining time
 * budget of the call that started it, and its outcome (token or failure) is shared by the calls that wait for it,
 * each waiting no longer than its own budget. While a refresh runs, other calls keep using the still-valid token,
 * and a failed early refresh keeps it and is retried after a few seconds. A 401 from a hook endpoint drops only the
 * token that was rejected, so concurrent 401s cause one refresh.
 *
 * <p>Token failures surface as {@link HookCallException} of kind {@code AUTH} whose message names the grant and the
 * settings to check and never contains the secret, a subject token or a token. Thread-safe.
 */
public final class AgentAccountAuthentication implements HookAuthentication {

	static final String TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	static final String ACCESS_TOKEN_TYPE = RunlayerSubject.ACCESS_TOKEN;

	/** Default bound of the per-subject token cache. */
	public static final int DEFAULT_CACHE_MAX_SIZE = SubjectTokenCache.DEFAULT_MAX_SIZE;

	/** Default idle expiry of the per-subject token cache. */
	public static final Duration DEFAULT_CACHE_IDLE_EXPIRY = SubjectTokenCache.DEFAULT_IDLE_EXPIRY;

	/** Largest idle expiry of the per-subject token cache (tokens are trusted for at most 24 hours anyway). */
	public static final Duration MAX_CACHE_IDLE_EXPIRY = TokenAnswers.MAX_LIFETIME;

	private static final Duration UNBOUNDED_CALL = Duration.ofSeconds(30);

	private static final String CLIENT_SETTINGS = "runlayer.agent.client-id / RUNLAYER_AGENT_CLIENT_ID and"
			+ " runlayer.agent.client-secret / RUNLAYER_AGENT_CLIENT_SECRET";

	private static final String OBO_SETTINGS = "the subject (runlayer.agent.subject-token / RUNLAYER_AGENT_SUBJECT_TOKEN,"
			+ " runlayer.agent.subject-token-type / RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE, or the subject resolver), the"
			+ " user's active delegation to this agent account, and " + CLIENT_SETTINGS;

	private static final String M2M_GRANT = "client_credentials grant; settings involved: " + CLIENT_SETTINGS;

	private static final String OBO_GRANT = "token-exchange (on-behalf-of) grant; settings involved: " + OBO_SETTINGS;

	private final AgentCredentials credentials;

	private final RunlayerSubject staticSubject;

	private final String staticSubjectKey;

	private final Clock clock;

	private final TokenAnswers answers;

	private final TokenSlot m2m = new TokenSlot();

	private final SubjectTokenCache subjects;

	private volatile HookTransport transport;

	/**
	 * Creates the authentication with the default token cache (10000 subjects, 30 minutes idle expiry).
	 * @param credentials the agent credentials
	 */
	public AgentAccountAuthentication(AgentCredentials credentials) {
		this(credentials, SubjectTokenCache.DEFAULT_MAX_SIZE, SubjectTokenCache.DEFAULT_IDLE_EXPIRY);
	}

	/**
	 * Creates the authentication.
	 * @param credentials the agent credentials
	 * @param cacheMaxSize how many subjects' on-behalf-of tokens are cached at most
	 * @param cacheIdleExpiry how long an unused subject's token stays cached
	 */
	public AgentAccountAuthentication(AgentCredentials credentials, int cacheMaxSize, Duration cacheIdleExpiry) {
		this(credentials, cacheMaxSize, cacheIdleExpiry, Clock.systemUTC());
	}

	AgentAccountAuthentication(AgentCredentials credentials, Clock clock) {
		this(credentials, SubjectTokenCache.DEFAULT_MAX_SIZE, SubjectTokenCache.DEFAULT_IDLE_EXPIRY, clock);
	}

	AgentAccountAuthentication(AgentCredentials credentials, int cacheMaxSize, Duration cacheIdleExpiry, Clock clock) {
		this.credentials = credentials;
		this.staticSubject = credentials.subject();
		this.staticSubjectKey = (this.staticSubject != null) ? this.staticSubject.cacheKey() : null;
		this.clock = clock;
		this.answers = new TokenAnswers(clock);
		this.subjects = new SubjectTokenCache(cacheMaxSize, cacheIdleExpiry);
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
	public boolean supportsSubjects() {
		return true;
	}

	@Override
	public void authenticate(HttpHeaders headers, RunlayerSubject subject, long deadlineNanos) {
		headers.setBearerAuth(token(subject, deadlineNanos));
	}

	/**
	 * A figure snapshot of the per-subject token cache.
	 * @return the figures
	 */
	public TokenCacheStats tokenCacheStats() {
		return this.subjects.stats();
	}

	/** A valid token for the static subject (or none), within 30 s; for tests. */
	String token() {
		return token(null, System.nanoTime() + UNBOUNDED_CALL.toNanos());
	}

	/**
	 * A valid bearer token for a call: the subject's on-behalf-of token (the static subject when none is given), or
	 * the M2M token when there is no subject at all; minted or refreshed when needed.
	 * @param subject the call's subject, or null
	 * @param deadlineNanos the call's deadline
	 * @return the token
	 * @throws HookCallException (kind AUTH) when no token can be had within the deadline
	 */
	String token(RunlayerSubject subject, long deadlineNanos) {
		RunlayerSubject effective = (subject != null) ? subject : this.staticSubject;
		if (effective == null) {
			return this.m2m.get(this.clock, () -> clientCredentials(deadlineNanos), deadlineNanos, M2M_GRANT).value();
		}
		TokenSlot slot = this.subjects.slot(key(effective));
		CachedToken cached = slot.token();
		if (cached != null && cached.validAt(this.clock.instant())) {
			this.subjects.hit();
		}
		else {
			this.subjects.miss();
		}
		return slot.get(this.clock, () -> exchangeOnBehalfOf(slot, effective, deadlineNanos), deadlineNanos, OBO_GRANT)
			.value();
	}

	private String key(RunlayerSubject subject) {
		return (subject == this.staticSubject) ? this.staticSubjectKey : subject.cacheKey();
	}

	private CachedToken clientCredentials(long deadlineNanos) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_id", this.credentials.clientId());
		form.put("client_secret", this.credentials.clientSecret());
		return request(form, "client_credentials", CLIENT_SETTINGS, null, deadlineNanos);
	}

	private CachedToken exchangeOnBehalfOf(TokenSlot slot, RunlayerSubject subject, long deadlineNanos) {
		CachedToken actorToken = this.m2m.get(this.clock, () -> clientCredentials(deadlineNanos), deadlineNanos,
				M2M_GRANT);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", TOKEN_EXCHANGE_GRANT);
		form.put("subject_token", subject.token());
		form.put("subject_token_type", subject.tokenType());
		form.put("actor_token", actorToken.value());
		form.put("actor_token_type", ACCESS_TOKEN_TYPE);
		form.put("client_id", this.credentials.clientId());
		form.put("client_secret", this.credentials.clientSecret());
		CachedToken minted = request(form, "token-exchange (on-behalf-of)", OBO_SETTINGS, subject.token(),
				deadlineNanos);
		slot.actor(actorToken);
		return minted;
	}

	private CachedToken request(Map<String, String> form, String grant, String settings, String subjectToken,
			long deadlineNanos) {
		HookTransport tokenTransport = this.transport;
		if (tokenTransport == null) {
			throw new HookCallException(Kind.AUTH, 0, "Agent-account authentication has no transport", null);
		}
		HookResponse response;
		try {
			response = tokenTransport.postForm(HookEndpoint.OAUTH_TOKEN, encode(form), deadlineNanos);
		}
		catch (HookCallException ex) {
			// A token endpoint's error body may echo the credentials, or tokens this client never saw and so cannot
			// scrub: a status failure is reported by its status only and its exception (which quotes the body) is
			// not chained; a transport failure's message is scrubbed.
			String detail = (ex.kind() == Kind.STATUS) ? "HTTP " + ex.status()
					: scrub(Objects.toString(ex.getMessage(), ""), subjectToken);
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
		return this.answers.parse(response.body(), grant);
	}

	private String scrub(String text, String subjectToken) {
		String scrubbed = scrub(text);
		return (subjectToken != null && subjectToken.length() >= 4) ? scrubbed.replace(subjectToken, "[redacted]")
				: scrubbed;
	}

	static Duration refreshMargin(Duration lifetime) {
		return TokenAnswers.refreshMargin(lifetime);
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
	public boolean invalidate(HttpHeaders rejected, RunlayerSubject subject) {
		String auth = (rejected != null) ? rejected.getFirst(HttpHeaders.AUTHORIZATION) : null;
		String rejectedToken = (auth != null && auth.startsWith("Bearer ")) ? auth.substring(7) : null;
		RunlayerSubject effective = (subject != null) ? subject : this.staticSubject;
		if (effective == null) {
			this.m2m.invalidate(rejectedToken);
			return true;
		}
		TokenSlot slot = this.subjects.peek(key(effective));
		if (slot != null) {
			CachedToken actorUsed = slot.actor();
			if (slot.invalidate(rejectedToken) != null && actorUsed != null) {
				// the on-behalf-of token may have been rejected because the actor token was revoked; drop that actor
				// token only (a newer one, minted after another user's 401, is kept)
				this.m2m.invalidate(actorUsed.value());
			}
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
		CachedToken token = this.m2m.token();
		if (token != null) {
			secrets.add(token.value());
		}
		if (this.staticSubjectKey != null) {
			TokenSlot slot = this.subjects.peek(this.staticSubjectKey);
			CachedToken obo = (slot != null) ? slot.token() : null;
			if (obo != null) {
				secrets.add(obo.value());
			}
		}
		return secrets;
	}

	@Override
	public String toString() {
		return "AgentAccountAuthentication[clientId=" + this.credentials.clientId() + ", mode=" + mode() + "]";
	}

}
