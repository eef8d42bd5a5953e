package com.runlayer.spring.boot;

import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Once every bean is created, warns once when {@code runlayer.tools} names tools the application does not have (a typo
 * would silently leave a tool on the global posture), listing the known tools.
 */
final class RunlayerToolSettingsCheck implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerToolSettingsCheck.class);

	private final Set<String> configured;

	private final ObjectProvider<RunlayerToolRegistry> registry;

	RunlayerToolSettingsCheck(Set<String> configured, ObjectProvider<RunlayerToolRegistry> registry) {
		this.configured = configured;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		RunlayerToolRegistry tools = this.registry.getIfAvailable();
		if (this.configured.isEmpty() || tools == null) {
			return;
		}
		Set<String> known = new TreeSet<>();
		tools.entries().forEach((entry) -> known.add(entry.toolName()));
		Set<String> unknown = new TreeSet<>();
		for (String name : this.configured) {
			if (!known.contains(name.trim())) {
				unknown.add(name);
			}
		}
		if (!unknown.isEmpty()) {
			logger.warn("runlayer.tools has settings for tools not known at startup: {}; known tools: {}. Check the"
					+ " names (tools Spring AI or MCP offer only per request are not known until first offered)",
					unknown, known);
		}
	}

}
