package com.runlayer.sdk.transport;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A call in progress (sending, waiting for the answer or before a retry): closing the transport interrupts its thread
 * once, which ends the blocking {@code send} (the JDK then cancels the exchange) or the retry wait, and the call
 * clears that interrupt again when it returns, so no interrupt of ours outlives the call.
 */
final class InFlightCall {

	private final Thread thread;

	private final boolean enforcement;

	private boolean done;

	private boolean aborted;

	/**
	 * A call on the current thread.
	 * @param enforcement whether it is an enforcement call (ended early by a closing client)
	 */
	InFlightCall(boolean enforcement) {
		this.thread = Thread.currentThread();
		this.enforcement = enforcement;
	}

	boolean enforcement() {
		return this.enforcement;
	}

	synchronized void abort() {
		if (!this.done && !this.aborted) {
			this.aborted = true;
			this.thread.interrupt();
		}
	}

	synchronized boolean abortedByClose() {
		return this.aborted;
	}

	synchronized void finish() {
		this.done = true;
		if (this.aborted) {
			Thread.interrupted();
		}
	}

	/**
	 * One attempt, with the blocking {@code send} on the caller's thread ({@code sendAsync} would complete every
	 * response through the common pool, which on 2 CPUs or fewer starts a thread per task). The JDK request timeout
	 * bounds the wait for the headers and the body handler's own deadline a body that stalls; closing the transport
	 * interrupts the send, which cancels the exchange (the interrupt is cleared again before the call returns).
	 * @param client the JDK client
	 * @param request the request
	 * @param body the body handler
	 * @return the response
	 * @throws IOException when the exchange failed
	 */
	HttpResponse<byte[]> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<byte[]> body)
			throws IOException {
		if (abortedByClose()) {
			// aborted before the exchange started (the interrupt may have been consumed on the way): none is started
			throw TransportFailures.closedInFlight(request.uri().getPath());
		}
		try {
			return client.send(request, body);
		}
		catch (InterruptedException ex) {
			if (abortedByClose()) {
				throw TransportFailures.closedInFlight(request.uri().getPath());
			}
			Thread.currentThread().interrupt();
			throw TransportFailures.interrupted("calling", request.uri().getPath(), ex);
		}
		catch (IOException ex) {
			if (abortedByClose()) {
				throw TransportFailures.closedInFlight(request.uri().getPath());
			}
			throw ex;
		}
	}

	/**
	 * Waits before a retry; closing the transport ends the wait at once.
	 * @param wait the wait
	 * @param path the path called, for the error
	 */
	void sleep(Duration wait, String path) {
		try {
			Thread.sleep(wait.toMillis());
		}
		catch (InterruptedException ex) {
			if (abortedByClose()) {
				throw TransportFailures.closedInFlight(path);
			}
			Thread.currentThread().interrupt();
			throw TransportFailures.interrupted("retrying", path, ex);
		}
	}

}
