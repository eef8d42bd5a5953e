package com.runlayer.spring.test;

/**
 * A reusable policy for the {@link RunlayerTestServer}, e.g. "deny every {@code rm -rf}, mask e-mail addresses". Named
 * in {@link AutoConfigureRunlayer#scripts()} (then it needs a public no-argument constructor) or passed to
 * {@link RunlayerTestServer#start(RunlayerTestScript...)}; it is applied again after every
 * {@link RunlayerTestServer#reset() reset}.
 */
@FunctionalInterface
public interface RunlayerTestScript {

	/**
	 * Adds this script's rules to the server.
	 * @param server the server
	 */
	void applyTo(RunlayerTestServer server);

}
