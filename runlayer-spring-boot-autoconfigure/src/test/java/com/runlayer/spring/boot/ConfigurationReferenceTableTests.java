package com.runlayer.spring.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.runlayer.sdk.RunlayerSetting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference (docs/configuration.md) lists every {@code runlayer.*} property of the generated metadata, each with the
 * environment variable of {@link RunlayerSetting}.
 */
class ConfigurationReferenceTableTests {

	private static final Map<String, String> rows = new LinkedHashMap<>();

	@BeforeAll
	static void readTable() throws Exception {
		Path reference = Path.of("..", "docs", "configuration.md");
		for (String line : Files.readAllLines(reference)) {
			if (line.startsWith("| `runlayer.")) {
				String property = line.substring(3, line.indexOf('`', 3));
				rows.put(property, line);
			}
		}
	}

	@Test
	void everyPropertyHasARow() {
		ConfigurationMetadataTests.readMetadataNames().forEach((name) -> assertThat(rows).as(name).containsKey(name));
	}

	@Test
	void everyRowNamesItsEnvironmentVariable() {
		for (RunlayerSetting setting : RunlayerSetting.values()) {
			String row = rows.get(setting.property());
			assertThat(row).as(setting.property()).isNotNull();
			String envColumn = row.split("\\|")[2];
			assertThat(envColumn).as(setting.property()).contains(setting.envVar().orElse("—"));
		}
	}

}
