package com.runlayer.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

import com.runlayer.sdk.RunlayerSetting;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Maps the Runlayer SDK's {@code RUNLAYER_*} environment variables onto {@code runlayer.*} properties with the SDK's
 * meaning, using the one table in {@link RunlayerSetting}: {@code RUNLAYER_HOOK_TIMEOUT_MS=1500} becomes
 * {@code runlayer.timeout=1500ms}, {@code RUNLAYER_HOOK_DEBUG=1} becomes {@code runlayer.debug=true}, and so on.
 *
 * <p>The mapped values sit just after the system environment, so environment variables override
 * {@code application.yml} as usual in Spring Boot.
 */
public class RunlayerEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the mapped values. */
	public static final String PROPERTY_SOURCE_NAME = "runlayerEnvironmentVariables";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("runlayer.enabled", Boolean.class, true)) {
			// switched off: a malformed RUNLAYER_* variable (e.g. meant for another agent) must not stop startup
			return;
		}
		Map<String, String> variables = systemEnvironment(environment);
		Map<String, Object> mapped = new LinkedHashMap<>();
		for (RunlayerSetting setting : RunlayerSetting.values()) {
			setting.read(variables).ifPresent((value) -> mapped.put(setting.property(), setting.toPropertyValue(value)));
		}
		if (mapped.isEmpty()) {
			return;
		}
		MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, mapped);
		if (environment.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
		}
		else {
			environment.getPropertySources().addLast(source);
		}
	}

	private static Map<String, String> systemEnvironment(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		Map<String, String> result = new LinkedHashMap<>();
		if (source != null && source.getSource() instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				if (key instanceof String k && k.startsWith("RUNLAYER_") && value != null) {
					result.put(k, value.toString());
				}
			});
		}
		return result;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
