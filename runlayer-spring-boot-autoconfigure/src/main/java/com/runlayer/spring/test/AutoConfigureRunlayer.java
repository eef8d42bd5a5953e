package com.runlayer.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest} against an in-process {@link RunlayerTestServer} instead of Runlayer: the server is
 * started with the context, the auto-configured {@code RunlayerClient} is pointed at it with a test API key (plain
 * http is allowed because the URL is the loopback server), every call is allowed until the test scripts otherwise,
 * and the server is a bean the test can autowire. Before each test method the server is {@link RunlayerTestServer#reset()
 * reset}. No other Runlayer setting is needed; settings such as {@code runlayer.timeout} or
 * {@code runlayer.enforcement-failure-mode} still apply.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureRunlayer
 * class AgentTests {
 *
 *     &#64;Autowired
 *     RunlayerTestServer runlayer;
 *
 *     &#64;Test
 *     void shellIsDenied() {
 *         runlayer.onPreTool("run_command").deny("No shell");
 *         // ... chat with the agent ...
 *         assertThat(runlayer).receivedPreTool("run_command");
 *     }
 *
 * }
 * </pre>
 *
 * The base URL, the credentials and {@code runlayer.allow-insecure-transport} take precedence over every other property
 * source, so a real Runlayer configured for the application (or in {@code RUNLAYER_*} variables) is never called by the
 * test. Without this annotation nothing of the test support is active.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureRunlayer {

	/**
	 * Policies applied when the server starts and after every reset; each needs a public no-argument constructor.
	 * @return the script classes
	 */
	Class<? extends RunlayerTestScript>[] scripts() default {};

	/**
	 * Authenticate with agent-account credentials (tokens minted at the server's token route) instead of an API key.
	 * @return whether to use an agent account
	 */
	boolean agentAccount() default false;

}
