package com.runlayer.sdk.transport;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body published as one buffer wrapping the caller's array. The JDK's
 * {@code BodyPublishers.ofByteArray} copies the array into 16 KiB buffers first, which for a tool output near the cap
 * is one more copy of the largest allocation of a call. The array must not change while the request is sent (the
 * transport's bodies are built per call and never touched again).
 */
final class ByteArrayBody implements HttpRequest.BodyPublisher {

	private final byte[] body;

	ByteArrayBody(byte[] body) {
		this.body = body;
	}

	@Override
	public long contentLength() {
		return this.body.length;
	}

	@Override
	public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
		subscriber.onSubscribe(new Subscription(subscriber, this.body));
	}

	private static final class Subscription implements Flow.Subscription {

		private final Flow.Subscriber<? super ByteBuffer> subscriber;

		private final byte[] body;

		private boolean done;

		Subscription(Flow.Subscriber<? super ByteBuffer> subscriber, byte[] body) {
			this.subscriber = subscriber;
			this.body = body;
		}

		@Override
		public void request(long n) {
			synchronized (this) {
				if (this.done) {
					return;
				}
				this.done = true;
			}
			if (n <= 0) {
				this.subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
				return;
			}
			if (this.body.length > 0) {
				this.subscriber.onNext(ByteBuffer.wrap(this.body));
			}
			this.subscriber.onComplete();
		}

		@Override
		public synchronized void cancel() {
			this.done = true;
		}

	}

}
