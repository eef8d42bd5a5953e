package com.runlayer.spring.boot;

import com.runlayer.sdk.RunlayerClient;

/**
 * Callback to customize the auto-configured {@link RunlayerClient} before it is built. Beans of this type are
 * applied in order after the {@code runlayer.*} properties.
 */
@FunctionalInterface
public interface RunlayerClientCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, already configured from the properties
	 */
	void customize(RunlayerClient.Builder builder);

}
