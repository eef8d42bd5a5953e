package com.runlayer.spring.boot;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the Runlayer secrets out of {@code /actuator/env} and {@code /actuator/configprops}, also when an
 * application sets {@code management.endpoint.*.show-values=always} (then Boot itself sanitizes nothing unless a
 * {@link SanitizingFunction} does).
 *
 * <p>Redacts the API key, the agent client secret and the subject token under every spelling they can have:
 * {@code runlayer.api-key}, {@code runlayer.apiKey}, {@code RUNLAYER_API_KEY}, and the same for
 * {@code runlayer.agent.client-secret} and {@code runlayer.agent.subject-token}. Active whether or not the Runlayer
 * client is enabled, because the values are in the environment either way.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class RunlayerSanitizingAutoConfiguration {

	/** Normalized (lower case, letters and digits only) endings of the secret property names. */
	private static final List<String> SECRET_KEYS = List.of("runlayerapikey", "runlayeragentclientsecret",
			"runlayeragentsubjecttoken");

	/** The same properties as leaf names inside the {@code runlayer} configuration properties bean. */
	private static final List<String> SECRET_FIELDS = List.of("apikey", "clientsecret", "subjecttoken");

	@Bean
	@ConditionalOnMissingBean(name = "runlayerSanitizingFunction")
	static SanitizingFunction runlayerSanitizingFunction() {
		return (data) -> isSecret(data) ? data.withSanitizedValue() : data;
	}

	static boolean isSecret(SanitizableData data) {
		String key = data.getKey();
		if (key == null || data.getValue() == null) {
			return false;
		}
		String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		for (String secret : SECRET_KEYS) {
			if (normalized.endsWith(secret)) {
				return true;
			}
		}
		// configprops keys of the runlayer bean, e.g. "runlayer.agent.clientSecret"
		if (normalized.startsWith(RunlayerProperties.PREFIX)) {
			for (String field : SECRET_FIELDS) {
				if (normalized.endsWith(field)) {
					return true;
				}
			}
		}
		return false;
	}

}
