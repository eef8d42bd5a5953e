package com.runlayer.spring.test;

import java.util.List;

import com.runlayer.sdk.RunlayerClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension for plain Java tests of code that uses a {@link RunlayerClient}: starts a
 * {@link RunlayerTestServer} for the test class (stopped after it), resets it before each test, and injects test
 * method (and constructor) parameters of type {@link RunlayerTestServer} and {@link RunlayerClient} (a client with the
 * default settings pointed at the server, closed after the test).
 *
 * <pre class="code">
 * &#64;ExtendWith(RunlayerTestExtension.class)
 * class ToolTests {
 *
 *     &#64;Test
 *     void deniedToolNeverRuns(RunlayerTestServer runlayer, RunlayerClient client) {
 *         runlayer.onPreTool("run_command").deny("No shell");
 *         ...
 *     }
 *
 * }
 * </pre>
 *
 * Registered as a static field with {@code @RegisterExtension}, it can be given scripts applied after every reset:
 * {@code static RunlayerTestExtension runlayer = new RunlayerTestExtension(new MyPolicy());}, and
 * {@link #server()} gives the running server.
 */
public final class RunlayerTestExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(RunlayerTestExtension.class);

	private final List<RunlayerTestScript> scripts;

	private volatile RunlayerTestServer server;

	/**
	 * An extension with the allow-all default.
	 */
	public RunlayerTestExtension() {
		this(new RunlayerTestScript[0]);
	}

	/**
	 * An extension whose server applies the scripts at start and after every reset.
	 * @param scripts the scripts
	 */
	public RunlayerTestExtension(RunlayerTestScript... scripts) {
		this.scripts = List.of(scripts);
	}

	/**
	 * The running server of the current test class.
	 * @return the server
	 * @throws IllegalStateException before the extension started it
	 */
	public RunlayerTestServer server() {
		RunlayerTestServer running = this.server;
		if (running == null) {
			throw new IllegalStateException("The Runlayer test server starts with the test class (or test, for a"
					+ " non-static @RegisterExtension field)");
		}
		return running;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		server(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		server(context).reset();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == RunlayerTestServer.class || type == RunlayerClient.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		RunlayerTestServer running = server(extensionContext);
		if (parameterContext.getParameter().getType() == RunlayerTestServer.class) {
			return running;
		}
		return extensionContext.getStore(NAMESPACE)
			.computeIfAbsent(ClientResource.class, (key) -> new ClientResource(running.clientBuilder().build()),
					ClientResource.class)
			.client();
	}

	private RunlayerTestServer server(ExtensionContext context) {
		ServerResource resource = context.getStore(NAMESPACE)
			.computeIfAbsent(ServerResource.class,
					(key) -> new ServerResource(RunlayerTestServer.start(this.scripts.toArray(RunlayerTestScript[]::new))),
					ServerResource.class);
		this.server = resource.server();
		return resource.server();
	}

	/** Closes the server when its test class (or test) ends. */
	private record ServerResource(RunlayerTestServer server) implements AutoCloseable {

		@Override
		public void close() {
			this.server.close();
		}

	}

	/** Closes the client when its test ends. */
	private record ClientResource(RunlayerClient client) implements AutoCloseable {

		@Override
		public void close() {
			this.client.close();
		}

	}

}
