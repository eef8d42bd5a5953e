package com.runlayer.spring.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A tiny HTTP client for endpoint tests: answers status and body, never throws on a non-2xx status.
 */
final class Http {

	private static final HttpClient client = HttpClient.newHttpClient();

	private final String base;

	Http(String base) {
		this.base = base;
	}

	Answer get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET().build());
	}

	Answer post(String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path));
		if (json != null) {
			request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return send(request.build());
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Answer(int status, String body) {
	}

}
