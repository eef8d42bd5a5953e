package com.runlayer.sdk;

/**
 * Optional interface for exceptions thrown by tools (shell-like tools especially) that carry the failed run's
 * output. When a tool throws such an exception, its {@code stdout}, {@code stderr} and {@code output} are sent,
 * bounded, with the {@code PostToolUseFailure} telemetry.
 */
public interface ToolFailureOutput {

	/**
	 * The standard output of the failed run.
	 * @return the text, or null
	 */
	default String stdout() {
		return null;
	}

	/**
	 * The standard error of the failed run.
	 * @return the text, or null
	 */
	default String stderr() {
		return null;
	}

	/**
	 * Any other output of the failed run.
	 * @return the value, or null
	 */
	default Object output() {
		return null;
	}

}
