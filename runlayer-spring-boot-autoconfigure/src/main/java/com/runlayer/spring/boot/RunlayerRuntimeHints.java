package com.runlayer.spring.boot;

import com.runlayer.sdk.PreflightResult;
import com.runlayer.spring.actuate.RunlayerEndpoint;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * GraalVM native image hints for what the starter itself reads reflectively or as a resource: the SDK version
 * resource ({@code com/runlayer/sdk/runlayer-sdk.properties}, read for the {@code User-Agent}), and the JSON shapes
 * of the preflight result and of the actuator endpoint's answers. The hints for the application's own
 * {@code @RunlayerTool} beans come from {@code RunlayerToolAotProcessor}.
 *
 * <p>Registered in {@code META-INF/spring/aot.factories}.
 */
public final class RunlayerRuntimeHints implements RuntimeHintsRegistrar {

	/** The SDK version resource. */
	static final String SDK_PROPERTIES = "com/runlayer/sdk/runlayer-sdk.properties";

	private static final String ENDPOINT_ANNOTATION = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.resources().registerPattern(SDK_PROPERTIES);
		BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
		bindings.registerReflectionHints(hints.reflection(), PreflightResult.class);
		if (ClassUtils.isPresent(ENDPOINT_ANNOTATION, classLoader)) {
			bindings.registerReflectionHints(hints.reflection(), RunlayerEndpoint.RunlayerDescriptor.class,
					RunlayerEndpoint.PreflightReport.class);
		}
	}

}
