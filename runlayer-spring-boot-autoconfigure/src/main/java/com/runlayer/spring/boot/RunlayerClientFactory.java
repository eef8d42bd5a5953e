package com.runlayer.spring.boot;

import java.util.List;

import com.runlayer.sdk.CircuitBreakerSettings;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.ToolSettings;
import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.sdk.enforcement.ToolEnforcementPredicate;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

/**
 * Maps {@link RunlayerProperties} onto a {@link RunlayerClient.Builder}, in one place.
 */
final class RunlayerClientFactory {

	private RunlayerClientFactory() {
	}

	static RunlayerClient.Builder builder(RunlayerProperties properties, List<ToolEnforcementPredicate> predicates,
			SslBundles sslBundles) {
		RunlayerClient.Builder builder = RunlayerClient.builder()
			.baseUrl(properties.baseUrl())
			.apiKey(properties.apiKey())
			.agentClientId(properties.agent().clientId())
			.agentClientSecret(properties.agent().clientSecret())
			.agentSubjectToken(properties.agent().subjectToken())
			.agentSubjectTokenType(properties.agent().subjectTokenType())
			.client(properties.client())
			.clientVersion(properties.clientVersion())
			.timeout(properties.timeout())
			.maxToolOutputBytes(properties.maxToolOutputBytes().toBytes())
			.enforcementFailureMode(properties.enforcementFailureMode())
			.allowInsecureTransport(properties.allowInsecureTransport())
			.directMcpSourceEnforcementPath(properties.directMcpSourceEnforcementPath())
			.debug(properties.debug())
			.failureStackTraces(properties.telemetry().failureStackTraces())
			.cwd(properties.cwd())
			.maxRetries(properties.maxRetries())
			.maxResponseBytes(properties.maxResponseBytes().toBytes())
			.maxToolInputBytes(properties.maxToolInputBytes().toBytes())
			.compression(properties.compression())
			.eventShutdownTimeout(properties.events().shutdownTimeout())
			.eventQueueCapacity(properties.events().queueCapacity())
			.eventQueueMaxBytes(properties.events().queueMaxBytes().toBytes())
			.eventMaxFieldBytes(properties.events().maxFieldBytes().toBytes())
			.subjectTokenCache(properties.agentSubject().tokenCache().maxSize(),
					properties.agentSubject().tokenCache().idleExpiry())
			.toolEnforcement(RunlayerAutoConfiguration.toolEnforcement(properties, predicates))
			.mode(properties.mode())
			.telemetryPrompts(properties.telemetry().prompts());
		RunlayerProperties.CircuitBreaker breaker = properties.circuitBreaker();
		builder.circuitBreaker(breaker.enabled()
				? new CircuitBreakerSettings(true, breaker.slidingWindowSize(), breaker.failureRateThreshold(),
						breaker.waitInOpenState(), breaker.permittedCallsInHalfOpenState())
				: CircuitBreakerSettings.disabled());
		properties.tools().forEach((name, tool) -> builder.tool(name, toolSettings(name, tool)));
		String bundle = properties.ssl().bundle();
		if (bundle != null && !bundle.isBlank()) {
			if (sslBundles == null) {
				throw new RunlayerConfigurationException(null,
						"runlayer.ssl.bundle is set to '" + bundle + "' but no SSL bundles are configured (spring.ssl.bundle.*)");
			}
			try {
				builder.sslContext(sslBundles.getBundle(bundle).createSslContext());
			}
			catch (NoSuchSslBundleException ex) {
				throw new RunlayerConfigurationException(null,
						"runlayer.ssl.bundle names an SSL bundle '" + bundle + "' that does not exist (spring.ssl.bundle.*)");
			}
		}
		return builder;
	}

	/** One tool's settings; a timeout that is not positive is refused naming the tool's property. */
	private static ToolSettings toolSettings(String name, RunlayerProperties.Tool tool) {
		if (tool == null) {
			return ToolSettings.NONE;
		}
		positive(name, "pre-timeout", tool.preTimeout());
		positive(name, "post-timeout", tool.postTimeout());
		return new ToolSettings(tool.enforce(), tool.mode(), tool.failureMode(), tool.preTimeout(), tool.postTimeout());
	}

	private static void positive(String tool, String field, java.time.Duration timeout) {
		if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
			throw new RunlayerConfigurationException(null,
					"runlayer.tools." + tool + "." + field + " must be positive, got " + timeout);
		}
	}

	/**
	 * Sets the subject resolver the properties ask for.
	 * @param builder the builder
	 * @param properties the properties
	 * @param resolver the application's resolver bean (or the Spring Security one), or null
	 * @throws RunlayerConfigurationException when {@code security-context} is asked for without Spring Security
	 */
	static void subjectResolver(RunlayerClient.Builder builder, RunlayerProperties properties,
			RunlayerSubjectResolver resolver) {
		if (resolver != null) {
			builder.subjectResolver(resolver);
		}
		else if (properties.agentSubject().source() == RunlayerProperties.AgentSubject.Source.SECURITY_CONTEXT) {
			throw new RunlayerConfigurationException(null, "runlayer.agent-subject.source=security-context needs Spring"
					+ " Security on the classpath (spring-security-core), or a RunlayerSubjectResolver bean");
		}
	}

}
