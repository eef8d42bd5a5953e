package com.runlayer.sample.local;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

import com.runlayer.spring.test.RunlayerTestScript;
import com.runlayer.spring.test.RunlayerTestServer;

/**
 * The sample's demo policy, as a script on the starter's {@link RunlayerTestServer} (used by the offline
 * {@code local} profile and by the sample's tests):
 * <ul>
 * <li>tool/pre: deny any call whose input contains {@code rm -rf}; rewrite a {@code read_file} path that climbs out
 * of the sandbox ({@code ../notes.txt} becomes {@code sandbox/notes.txt}); allow everything else;</li>
 * <li>tool/post: block output containing {@code SECRET}; mask e-mail addresses; pass everything else;</li>
 * <li>per user: {@value #NO_SHELL_USER} may not run {@code run_command} (the call's on-behalf-of token says whom it
 * acts for).</li>
 * </ul>
 * Not a security product: a real deployment points {@code runlayer.base-url} at Runlayer.
 */
public final class DemoPolicy implements RunlayerTestScript {

	/** The API user the demo policy denies shell commands to. */
	public static final String NO_SHELL_USER = "bob@example.com";

	/** Replacement for masked e-mail addresses. */
	public static final String EMAIL_MASK = "[email redacted]";

	private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

	@Override
	public void applyTo(RunlayerTestServer server) {
		// the newest matching rule answers, so the stricter rules come last
		server.onPreTool("read_file")
			.when((input) -> input.get("path") instanceof String path && path.contains(".."))
			.rewrite((input) -> {
				String path = (String) input.get("path");
				input.put("path", "sandbox/" + path.substring(path.lastIndexOf('/') + 1));
				return input;
			});
		server.onPreTool()
			.when((input) -> containsText(input, "rm -rf"))
			.deny("Destructive shell command (rm -rf) is not allowed by the demo policy");
		server.onPostTool()
			.whenOutput((text) -> EMAIL.matcher(text).find())
			.mask((text) -> EMAIL.matcher(text).replaceAll(EMAIL_MASK));
		server.onPostTool().whenOutput((text) -> text.contains("SECRET")).block("The output contains a secret (demo policy)");
		server.onPreTool("run_command")
			.forSubject(NO_SHELL_USER)
			.deny("Shell commands are not allowed for " + NO_SHELL_USER + " (demo policy)");
	}

	private static boolean containsText(Object value, String needle) {
		if (value instanceof String text) {
			return text.contains(needle);
		}
		if (value instanceof Map<?, ?> map) {
			return map.values().stream().anyMatch((v) -> containsText(v, needle));
		}
		if (value instanceof Collection<?> values) {
			return values.stream().anyMatch((v) -> containsText(v, needle));
		}
		return false;
	}

}
