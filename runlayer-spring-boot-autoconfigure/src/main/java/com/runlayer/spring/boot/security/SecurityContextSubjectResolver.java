package com.runlayer.spring.boot.security;

import java.util.Optional;
import java.util.regex.Pattern;

import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.auth.RunlayerSubjectResolver;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.util.ClassUtils;

/**
 * The call's subject from Spring Security's current {@link Authentication}: the bearer access token of a resource
 * server ({@code JwtAuthenticationToken}, {@code BearerTokenAuthentication}) as
 * {@code urn:ietf:params:oauth:token-type:access_token}; otherwise the principal name as
 * {@code urn:runlayer:token-type:user-id}, or {@code urn:runlayer:token-type:user-email} when it is an e-mail
 * address (see {@link PrincipalNameType}). Anonymous or missing authentication gives no subject.
 *
 * <p>Reads the {@link SecurityContextHolder} of the calling thread, so it must run where the request is handled;
 * the Runlayer client consults it there, and {@code @RunlayerTool} methods that return a {@code Mono} or a
 * {@code CompletionStage} capture it when they are called.
 */
public final class SecurityContextSubjectResolver implements RunlayerSubjectResolver {

	private static final boolean RESOURCE_SERVER = ClassUtils.isPresent(
			"org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken",
			SecurityContextSubjectResolver.class.getClassLoader());

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");

	private final PrincipalNameType principalNameType;

	/**
	 * Creates the resolver.
	 * @param principalNameType how a principal name is typed
	 */
	public SecurityContextSubjectResolver(PrincipalNameType principalNameType) {
		this.principalNameType = principalNameType;
	}

	@Override
	public Optional<RunlayerSubject> resolve(String sessionId) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return Optional.empty();
		}
		if (RESOURCE_SERVER) {
			String token = BearerTokens.tokenValue(authentication);
			if (token != null) {
				return Optional.of(RunlayerSubject.accessToken(token));
			}
		}
		String name = authentication.getName();
		if (name == null || name.isBlank()) {
			return Optional.empty();
		}
		return Optional.of(switch (this.principalNameType) {
			case USER_ID -> RunlayerSubject.userId(name);
			case USER_EMAIL -> RunlayerSubject.userEmail(name);
			case AUTO -> EMAIL.matcher(name).matches() ? RunlayerSubject.userEmail(name) : RunlayerSubject.userId(name);
		});
	}

	@Override
	public String source() {
		return "security-context";
	}

	@Override
	public String toString() {
		return "SecurityContextSubjectResolver[principalNameType=" + this.principalNameType + "]";
	}

	/** How the principal name of a non-bearer authentication is sent. */
	public enum PrincipalNameType {

		/** As a user e-mail when it looks like an e-mail address, else as a user id. */
		AUTO,

		/** Always as a Runlayer user id. */
		USER_ID,

		/** Always as a user e-mail. */
		USER_EMAIL

	}

	/** Loaded only when the resource server classes are present. */
	private static final class BearerTokens {

		static String tokenValue(Authentication authentication) {
			if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> bearer
					&& bearer.getToken() != null) {
				String value = bearer.getToken().getTokenValue();
				return (value != null && !value.isBlank()) ? value : null;
			}
			return null;
		}

	}

}
