package com.runlayer.sdk;

/**
 * What may be printed of configuration values: every {@code toString()} that shows a URL goes through here, so that
 * credentials written into a URL's userinfo ({@code https://user:password@host}) never reach a log line, an
 * exception message or actuator output.
 */
public final class Redaction {

	private static final String HIDDEN = "****";

	private Redaction() {
	}

	/**
	 * A URL for display, with anything that may be userinfo replaced by {@code ****}. Works on text that is not a
	 * valid URL too (a builder prints what it was given before validation): everything between the scheme's
	 * {@code //} (or the start) and the last {@code @} before a query or fragment is hidden, so a password containing
	 * {@code @} or {@code /} is hidden whole (a path containing {@code @} is hidden too, which is harmless here).
	 * @param url the URL; may be null
	 * @return the URL without userinfo, or null for null
	 */
	public static String urlWithoutUserInfo(String url) {
		if (url == null) {
			return null;
		}
		int schemeEnd = url.indexOf("://");
		int start = (schemeEnd >= 0) ? schemeEnd + 3 : 0;
		int end = url.length();
		for (int i = start; i < url.length(); i++) {
			char c = url.charAt(i);
			if (c == '?' || c == '#') {
				end = i;
				break;
			}
		}
		int at = url.lastIndexOf('@', end - 1);
		if (at < start) {
			return url;
		}
		return url.substring(0, start) + HIDDEN + url.substring(at);
	}

}
