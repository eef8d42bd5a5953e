package com.runlayer.sdk.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The secret values every reliability and security test uses, so that one scan can look for all of them in logs,
 * exception messages and {@code toString()} output.
 */
final class Secrets {

	static final String API_KEY = "rl_sk_live_4f9c2e7a1b8d6053aa";

	static final String CLIENT_ID = "agent-client-id-public";

	static final String CLIENT_SECRET = "agent-secret-9d1e4b7c2a55f0";

	static final String ACCESS_TOKEN = "eyJhbGciOiJub25lIn0.access-token-3c8f1a77";

	static final String OBO_TOKEN = "eyJhbGciOiJub25lIn0.obo-token-6b20de91";

	static final String SUBJECT_TOKEN = "subject-token-5e2b9f71c3";

	static final String SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	static final Map<String, String> ALL = Map.of("API key", API_KEY, "client secret", CLIENT_SECRET, "access token",
			ACCESS_TOKEN, "on-behalf-of token", OBO_TOKEN, "subject token", SUBJECT_TOKEN);

	private Secrets() {
	}

	/**
	 * The names of the secrets found in a text.
	 * @param text the text, may be null
	 * @return the names, empty when none
	 */
	static List<String> foundIn(String text) {
		List<String> found = new ArrayList<>();
		if (text == null) {
			return found;
		}
		ALL.forEach((name, value) -> {
			if (text.contains(value)) {
				found.add(name);
			}
		});
		return found;
	}

	/**
	 * The names of the secrets found in an exception's messages, {@code toString()} and causes.
	 * @param error the exception, may be null
	 * @return the names, empty when none
	 */
	static List<String> foundIn(Throwable error) {
		List<String> found = new ArrayList<>();
		for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			found.addAll(foundIn(t.toString()));
			for (Throwable suppressed : t.getSuppressed()) {
				found.addAll(foundIn(suppressed));
			}
		}
		return found;
	}

}
