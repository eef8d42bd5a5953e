package com.runlayer.spring.boot;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.runlayer.sdk.RunlayerSetting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated configuration metadata describes every {@code runlayer.*} property, so IDEs complete them.
 */
class ConfigurationMetadataTests {

	private static final Map<String, JsonNode> properties = new LinkedHashMap<>();

	@BeforeAll
	static void readMetadata() throws Exception {
		properties.putAll(read());
	}

	static java.util.Set<String> readMetadataNames() {
		try {
			return read().keySet();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, JsonNode> read() throws Exception {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		JsonMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					String name = property.get("name").stringValue();
					if (name.startsWith("runlayer.")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	@Test
	void everyPropertyHasADescription() {
		assertThat(properties).isNotEmpty();
		properties.forEach((name, property) -> assertThat(property.path("description").asString("")).as(name)
			.isNotBlank());
	}

	@Test
	void everySdkSettingHasMetadata() {
		for (RunlayerSetting setting : RunlayerSetting.values()) {
			assertThat(properties).as(setting.name()).containsKey(setting.property());
		}
	}

	@Test
	void defaultsAreDocumented() {
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("runlayer.enabled", true);
		expected.put("runlayer.client", "python-sdk");
		expected.put("runlayer.max-tool-output-bytes", "64KB");
		expected.put("runlayer.enforcement-failure-mode", "closed");
		expected.put("runlayer.allow-insecure-transport", false);
		expected.put("runlayer.debug", false);
		expected.put("runlayer.max-retries", 2);
		expected.put("runlayer.max-response-bytes", "1MB");
		expected.put("runlayer.max-tool-input-bytes", "1MB");
		expected.put("runlayer.compression", false);
		expected.put("runlayer.tool-enforcement.skip-runlayer-mcp-proxy-urls", true);
		expected.put("runlayer.tool-enforcement.skip-runlayer-self-mcp", true);
		expected.put("runlayer.events.shutdown-timeout", "5s");
		expected.put("runlayer.events.queue-max-bytes", "16MB");
		expected.put("runlayer.events.max-field-bytes", "64KB");
		expected.forEach((name, value) -> {
			assertThat(properties).as(name).containsKey(name);
			JsonNode defaultValue = properties.get(name).get("defaultValue");
			assertThat(defaultValue).as(name + " default").isNotNull();
			assertThat(defaultValue.isString() ? defaultValue.stringValue()
					: defaultValue.isBoolean() ? (Object) defaultValue.booleanValue() : (Object) defaultValue.intValue())
				.as(name + " default")
				.isEqualTo(value);
		});
	}

}
