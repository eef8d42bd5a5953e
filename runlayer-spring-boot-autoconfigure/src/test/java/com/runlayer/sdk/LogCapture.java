package com.runlayer.sdk;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures the log events of the {@code com.runlayer} loggers at every level while open.
 */
final class LogCapture implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger("com.runlayer");

	private final Level level;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	LogCapture() {
		this.level = this.logger.getLevel();
		this.logger.setLevel(Level.TRACE);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	List<ILoggingEvent> events(Level level) {
		return this.appender.list.stream().filter((e) -> e.getLevel() == level).toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.level);
	}

}
