package com.runlayer.sdk.transport;

import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Reads a response body into one byte array, within a size bound and a deadline: a declared {@code Content-Length}
 * over the bound is refused before any byte is read, a body that grows past it is cancelled (the JDK client then
 * closes the connection), and so is a body still incomplete at the attempt's deadline (the JDK's request timeout
 * only covers the wait for the headers). No stream, no queue hand-off; with a declared length the bytes are copied
 * once. One handler per attempt.
 */
final class BoundedBodyHandler implements HttpResponse.BodyHandler<byte[]> {

	private static final byte[] EMPTY = new byte[0];

	private final long max;

	private final long deadline;

	/**
	 * Creates the handler of one attempt.
	 * @param max the largest body read
	 * @param deadline the attempt's deadline ({@link System#nanoTime()})
	 */
	BoundedBodyHandler(long max, long deadline) {
		this.max = max;
		this.deadline = deadline;
	}

	/**
	 * Whether a failure of {@code send} is a body over the bound.
	 * @param error the failure
	 * @return the flag
	 */
	static boolean tooLarge(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof TooLargeException) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	@Override
	public BodySubscriber<byte[]> apply(ResponseInfo info) {
		long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
		if (declared > this.max) {
			return new Refused();
		}
		return new Collector(this.max, (declared >= 0) ? (int) declared : 256, this.deadline);
	}

	/** The failure of a body over the bound. */
	static final class TooLargeException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TooLargeException() {
			super("response body over the bound", null, false, false);
		}

	}

	private static final class Refused implements BodySubscriber<byte[]> {

		private final CompletableFuture<byte[]> result = new CompletableFuture<>();

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.result;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.cancel();
			this.result.completeExceptionally(new TooLargeException());
		}

		@Override
		public void onNext(List<ByteBuffer> item) {
		}

		@Override
		public void onError(Throwable throwable) {
			this.result.completeExceptionally(new TooLargeException());
		}

		@Override
		public void onComplete() {
			this.result.completeExceptionally(new TooLargeException());
		}

	}

	private static final class Collector implements BodySubscriber<byte[]> {

		private final CompletableFuture<byte[]> result = new CompletableFuture<>();

		private final long max;

		private byte[] bytes;

		private int size;

		private Flow.Subscription subscription;

		private final long deadline;

		Collector(long max, int expected, long deadline) {
			this.max = max;
			this.bytes = (expected == 0) ? EMPTY : new byte[expected];
			this.deadline = deadline;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.result;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
			if (!this.result.isDone()) {
				// Not delivered with the headers: a body still incomplete at the deadline fails the read
				// (java.util.concurrent.TimeoutException, a timeout for the transport) and closes the connection.
				// A small answer usually arrives with its headers and needs no timer.
				this.result.orTimeout(Math.max(0, this.deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
					.whenComplete((body, error) -> {
						if (error != null) {
							subscription.cancel();
						}
					});
			}
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			if (this.result.isDone()) {
				return;
			}
			for (ByteBuffer buffer : buffers) {
				int n = buffer.remaining();
				if (this.size + (long) n > this.max) {
					this.subscription.cancel();
					this.bytes = null;
					this.result.completeExceptionally(new TooLargeException());
					return;
				}
				if (this.size + n > this.bytes.length) {
					long grown = Math.max(this.size + (long) n, Math.max(256, this.bytes.length * 2L));
					this.bytes = Arrays.copyOf(this.bytes, (int) Math.min(grown, Math.min(this.max, Integer.MAX_VALUE - 8)));
				}
				buffer.get(this.bytes, this.size, n);
				this.size += n;
			}
		}

		@Override
		public void onError(Throwable throwable) {
			this.bytes = null;
			this.result.completeExceptionally(throwable);
		}

		@Override
		public void onComplete() {
			if (this.result.isDone()) {
				return;
			}
			byte[] body = (this.size == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.size);
			this.bytes = null;
			this.result.complete(body);
		}

	}

}
