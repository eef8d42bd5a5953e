package com.runlayer.spring.test;

/**
 * Entry point of the AssertJ assertions on a {@link RunlayerTestServer}:
 *
 * <pre class="code">
 * import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
 *
 * assertThat(runlayer).receivedPreTool("read_file").withSessionId("c1").withInput("path", "a.txt");
 * assertThat(runlayer).receivedEvent("Stop").withSessionId("c1");
 * assertThat(runlayer).receivedNoCallFor("run_command");
 * </pre>
 *
 * It can be statically imported next to AssertJ's own {@code assertThat}. Needs AssertJ on the classpath.
 */
public final class RunlayerAssertions {

	private RunlayerAssertions() {
	}

	/**
	 * Starts assertions on what the server received.
	 * @param server the server
	 * @return the assertions
	 */
	public static RunlayerTestServerAssert assertThat(RunlayerTestServer server) {
		return new RunlayerTestServerAssert(server);
	}

}
