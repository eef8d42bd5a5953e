/**
 * Test support: {@link com.runlayer.spring.test.RunlayerTestServer}, an in-process programmable Runlayer on a random
 * loopback port; {@link com.runlayer.spring.test.AutoConfigureRunlayer} for {@code @SpringBootTest};
 * {@link com.runlayer.spring.test.RunlayerTestExtension} for plain JUnit tests; and AssertJ assertions in
 * {@link com.runlayer.spring.test.RunlayerAssertions}.
 *
 * <p>Nothing here is active unless a test uses the annotation or the extension. The server needs only the JDK,
 * Jackson and the SDK; the annotation, the extension and the assertions need spring-test, JUnit and AssertJ, which
 * applications have in test scope.
 */
package com.runlayer.spring.test;
