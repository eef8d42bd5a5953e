package com.runlayer.sdk.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures every log event of the test class at TRACE (root logger), keeps the WARN+ events of the SDK for
 * assertions, and scans every event (message, arguments and stack traces) for the secret values of {@link Secrets}.
 * The class fails in {@code afterAll} when a secret was logged. The WireMock / Jetty server side is kept at WARN:
 * it is the fake Runlayer, not our code, and it legitimately sees the credentials.
 */
final class LogCapture implements BeforeAllCallback, AfterAllCallback {

	private static final String[] SERVER_SIDE = { "wiremock", "com.github.tomakehurst", "org.eclipse.jetty",
			"org.apache.hc", "org.eclipse", "org.apache.catalina", "org.apache.tomcat", "org.apache.coyote" };

	private final List<ILoggingEvent> sdkWarnings = new CopyOnWriteArrayList<>();

	private final List<String> leaks = new CopyOnWriteArrayList<>();

	private final AtomicLong scanned = new AtomicLong();

	private final Map<String, Level> previousLevels = new ConcurrentHashMap<>();

	private Appender appender;

	private final boolean jdkHttpDebug;

	private final List<java.util.logging.Logger> julLoggers = new ArrayList<>();

	private final Map<java.util.logging.Logger, java.util.logging.Level> julLevels = new java.util.IdentityHashMap<>();

	private boolean bridgeInstalledHere;

	/**
	 * Everything at TRACE, the JDK's own loggers (HTTP client, selector) included through the JUL bridge.
	 */
	LogCapture() {
		this(true);
	}

	private LogCapture(boolean jdkHttpDebug) {
		this.jdkHttpDebug = jdkHttpDebug;
	}

	/**
	 * Everything at TRACE except the JDK HTTP client's internal debug tracing ({@code jdk.internal.httpclient.debug},
	 * hundreds of events per request, written from its selector thread), for the suites that measure time.
	 * @return the capture
	 */
	static LogCapture exceptJdkHttpClientDebugTracing() {
		return new LogCapture(false);
	}

	private final List<ch.qos.logback.core.Appender<ILoggingEvent>> detached = new ArrayList<>();

	private final Map<String, java.util.concurrent.atomic.LongAdder> perLogger = new ConcurrentHashMap<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	/** Starts capturing (for test engines without JUnit extensions, e.g. jqwik's container hooks). */
	void start() {
		LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
		Logger root = loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		remember(root);
		root.setLevel(Level.toLevel(System.getProperty("runlayer.logcapture.level", "TRACE")));
		for (String name : SERVER_SIDE) {
			Logger logger = loggers.getLogger(name);
			remember(logger);
			logger.setLevel(Level.WARN);
		}
		// the JDK logs through System.Logger -> JUL: bridge it so that "everything" includes the HTTP client
		if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
			org.slf4j.bridge.SLF4JBridgeHandler.install();
			this.bridgeInstalledHere = true;
		}
		setJulLevel("", java.util.logging.Level.ALL);
		setJulLevel("com.sun.net.httpserver", java.util.logging.Level.WARNING);
		Logger serverLogger = loggers.getLogger("com.sun.net.httpserver");
		remember(serverLogger);
		serverLogger.setLevel(Level.WARN);
		if (!this.jdkHttpDebug) {
			for (String name : List.of("jdk.internal.httpclient.debug", "jdk.internal.httpclient.hpack.debug",
					"jdk.internal.httpclient.websocket.debug")) {
				setJulLevel(name, java.util.logging.Level.INFO);
				Logger logger = loggers.getLogger(name);
				remember(logger);
				logger.setLevel(Level.INFO);
			}
		}
		// TRACE everywhere would flood the console (surefire writes it to a file, synchronously, from every thread,
		// the HTTP client's selector thread included): the other appenders are detached while capturing
		root.iteratorForAppenders().forEachRemaining(this.detached::add);
		this.detached.forEach(root::detachAppender);
		this.appender = new Appender();
		this.appender.setContext(loggers);
		this.appender.start();
		root.addAppender(this.appender);
	}

	private void setJulLevel(String name, java.util.logging.Level level) {
		java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
		this.julLoggers.add(logger);
		this.julLevels.putIfAbsent(logger, logger.getLevel());
		logger.setLevel(level);
	}

	private void remember(Logger logger) {
		this.previousLevels.put(logger.getName(), (logger.getLevel() != null) ? logger.getLevel() : Level.OFF);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop(context.getDisplayName());
	}

	/**
	 * Stops capturing, prints the scan figures and fails when an event contained a secret.
	 * @param suite the suite's name for the printed line
	 */
	void stop(String suite) {
		LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
		Logger root = loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.detachAppender(this.appender);
		this.appender.stop();
		this.detached.forEach(root::addAppender);
		this.detached.clear();
		this.julLevels.forEach(java.util.logging.Logger::setLevel);
		this.julLevels.clear();
		this.julLoggers.clear();
		if (this.bridgeInstalledHere) {
			org.slf4j.bridge.SLF4JBridgeHandler.uninstall();
		}
		this.previousLevels.forEach((name, level) -> loggers.getLogger(name)
			.setLevel((level == Level.OFF && !name.equals(org.slf4j.Logger.ROOT_LOGGER_NAME)) ? null : level));
		String top = this.perLogger.entrySet()
			.stream()
			.sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
			.limit(5)
			.map((e) -> e.getKey() + "=" + e.getValue().sum())
			.collect(java.util.stream.Collectors.joining(", "));
		System.out.println("log capture (" + suite + "): " + this.scanned.get()
				+ " events at TRACE scanned, " + this.leaks.size() + " with a secret; most from " + top);
		assertThat(this.leaks).as("log events containing a secret").isEmpty();
	}

	/**
	 * A mark to look at the events after it.
	 * @return the mark
	 */
	int mark() {
		return this.sdkWarnings.size();
	}

	/**
	 * The WARN and ERROR events of {@code com.runlayer} loggers logged since a mark.
	 * @param mark the mark
	 * @return the formatted messages
	 */
	List<String> sdkWarningsSince(int mark) {
		List<String> result = new ArrayList<>();
		List<ILoggingEvent> all = this.sdkWarnings;
		for (int i = mark; i < all.size(); i++) {
			result.add(all.get(i).getFormattedMessage());
		}
		return result;
	}

	/**
	 * How many events were scanned so far.
	 * @return the count
	 */
	long scanned() {
		return this.scanned.get();
	}

	private final class Appender extends UnsynchronizedAppenderBase<ILoggingEvent> {

		@Override
		protected void append(ILoggingEvent event) {
			scanned.incrementAndGet();
			perLogger.computeIfAbsent(event.getLoggerName(), (k) -> new java.util.concurrent.atomic.LongAdder())
				.increment();
			StringBuilder text = new StringBuilder(event.getFormattedMessage() != null ? event.getFormattedMessage() : "");
			if (event.getArgumentArray() != null) {
				for (Object argument : event.getArgumentArray()) {
					text.append(' ').append(argument);
				}
			}
			appendThrowable(text, event.getThrowableProxy(), 0);
			List<String> found = Secrets.foundIn(text.toString());
			if (!found.isEmpty()) {
				leaks.add(event.getLoggerName() + " " + event.getLevel() + " leaked " + found + ": "
						+ event.getFormattedMessage());
			}
			if (event.getLoggerName().startsWith("com.runlayer") && event.getLevel().isGreaterOrEqual(Level.WARN)) {
				sdkWarnings.add(event);
			}
		}

		private void appendThrowable(StringBuilder text, IThrowableProxy proxy, int depth) {
			if (proxy == null || depth > 10) {
				return;
			}
			text.append('\n').append(proxy.getClassName()).append(": ").append(proxy.getMessage());
			for (StackTraceElementProxy element : proxy.getStackTraceElementProxyArray()) {
				text.append("\n\tat ").append(element.getSTEAsString());
			}
			appendThrowable(text, proxy.getCause(), depth + 1);
			if (proxy.getSuppressed() != null) {
				for (IThrowableProxy suppressed : proxy.getSuppressed()) {
					appendThrowable(text, suppressed, depth + 1);
				}
			}
		}

	}

}
