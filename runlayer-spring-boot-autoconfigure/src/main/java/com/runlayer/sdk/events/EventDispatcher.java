package com.runlayer.sdk.events;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.runlayer.sdk.observe.RunlayerObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers best-effort lifecycle events off the caller's thread, in emit order per session, with a bounded backlog.
 *
 * <p>Each session is hashed to one of a few lanes; a lane is a queue served by one daemon thread, so the events of
 * one session are delivered one after the other in the order they were submitted, while sessions on other lanes
 * proceed independently. The backlog (events accepted and not yet delivered or failed, across all lanes) is bounded
 * by count (the capacity) and by bytes (the sum of the sizes the emitters declare, normally the serialized body):
 * when either bound would be passed the newest event is dropped, counted ({@link #droppedCount()}) and reported to
 * {@link RunlayerObserver#telemetryDropped(String)}. Lane threads are started on the first event of their lane.
 * Failures of a delivery never reach the emitter. {@link #awaitSession(String, Duration)} lets a strict event go
 * after the queued events of its session; {@link #close(Duration)} flushes within a bound, then stops every thread.
 *
 * <p>Internal API of the SDK, used by {@code RunlayerClient}. Thread-safe.
 */
public class EventDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EventDispatcher.class);

	/** Default bound of the backlog ({@code runlayer.events.queue-capacity}). */
	public static final int DEFAULT_CAPACITY = 10_000;

	/** Default bound of the backlog in bytes ({@code runlayer.events.queue-max-bytes}), 16 MiB. */
	public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

	/** Default number of lanes. */
	public static final int DEFAULT_LANES = 4;

	private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	/** How long close waits for interrupted lane threads once the flush budget is spent. */
	private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final int instance = INSTANCES.incrementAndGet();

	private final Lane[] lanes;

	private final int capacity;

	private final long maxBytes;

	private final AtomicLong pendingBytes = new AtomicLong();

	private final RunlayerObserver observer;

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicLong dropped = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Creates a dispatcher with the default capacity and lanes that reports to no observer.
	 */
	public EventDispatcher() {
		this(DEFAULT_LANES, DEFAULT_CAPACITY, RunlayerObserver.NOOP);
	}

	/**
	 * Creates a dispatcher with the default number of lanes.
	 * @param capacity the bound of the backlog, at least 1
	 * @param observer told about dropped events; may be null
	 */
	public EventDispatcher(int capacity, RunlayerObserver observer) {
		this(DEFAULT_LANES, capacity, observer);
	}

	/**
	 * Creates a dispatcher.
	 * @param lanes the number of lanes (delivery threads), at least 1
	 * @param capacity the bound of the backlog, at least 1
	 * @param observer told about dropped events; may be null
	 * @throws IllegalArgumentException when lanes or capacity is below 1
	 */
	public EventDispatcher(int lanes, int capacity, RunlayerObserver observer) {
		this(lanes, capacity, DEFAULT_MAX_BYTES, observer);
	}

	/**
	 * Creates a dispatcher bounded by count and bytes.
	 * @param lanes the number of lanes (delivery threads), at least 1
	 * @param capacity the bound of the backlog in events, at least 1
	 * @param maxBytes the bound of the backlog in bytes, at least 1
	 * @param observer told about dropped events; may be null
	 * @throws IllegalArgumentException when a bound is below 1
	 */
	public EventDispatcher(int lanes, int capacity, long maxBytes, RunlayerObserver observer) {
		if (lanes < 1) {
			throw new IllegalArgumentException("lanes must be at least 1, got " + lanes);
		}
		if (capacity < 1) {
			throw new IllegalArgumentException(
					"The event queue capacity (runlayer.events.queue-capacity) must be at least 1, got " + capacity);
		}
		if (maxBytes < 1) {
			throw new IllegalArgumentException(
					"The event queue byte bound (runlayer.events.queue-max-bytes) must be at least 1, got " + maxBytes);
		}
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		this.observer = (observer != null) ? observer : RunlayerObserver.NOOP;
		this.lanes = new Lane[lanes];
		for (int i = 0; i < lanes; i++) {
			this.lanes[i] = new Lane(i);
		}
	}

	/**
	 * A dispatcher that delivers on the caller's thread (no queue, no threads), e.g. for tests that verify the wire
	 * right after emitting.
	 * @return a synchronous dispatcher
	 */
	public static EventDispatcher synchronous() {
		return new Synchronous();
	}

	/**
	 * Submits one event delivery. Never blocks and never throws: when the backlog is full or the dispatcher is
	 * closed, the event is dropped and counted.
	 * @param sessionId the session the event belongs to (deliveries of one session keep their order)
	 * @param eventName the event name, for diagnostics and the drop count
	 * @param delivery the delivery; it reports its own outcome
	 */
	public void submit(String sessionId, String eventName, Runnable delivery) {
		submit(sessionId, eventName, 0, delivery);
	}

	/**
	 * Submits one event delivery of a known size. Never blocks and never throws: when the backlog is full (in count
	 * or in bytes) or the dispatcher is closed, the event is dropped and counted. An event larger than the byte bound
	 * on its own is always dropped.
	 * @param sessionId the session the event belongs to (deliveries of one session keep their order)
	 * @param eventName the event name, for diagnostics and the drop count
	 * @param bytes the memory the queued event holds, normally its serialized body's length; at least 0
	 * @param delivery the delivery; it reports its own outcome
	 */
	public void submit(String sessionId, String eventName, long bytes, Runnable delivery) {
		long size = Math.max(0, bytes);
		if (this.pending.incrementAndGet() > this.capacity) {
			this.pending.decrementAndGet();
			drop(eventName, "the event queue is full (runlayer.events.queue-capacity=" + this.capacity + ")");
			return;
		}
		if (!reserveBytes(size)) {
			this.pending.decrementAndGet();
			drop(eventName, "the event queue holds too many bytes (runlayer.events.queue-max-bytes=" + this.maxBytes
					+ ", event of " + size + " bytes)");
			return;
		}
		Lane lane = laneOf(sessionId);
		if (!lane.offer(new Task(eventName, delivery, null, size))) {
			release(size);
			drop(eventName, "the event dispatcher is closed");
		}
	}

	private boolean reserveBytes(long size) {
		while (true) {
			long current = this.pendingBytes.get();
			if (size > this.maxBytes - current) {
				return false;
			}
			if (this.pendingBytes.compareAndSet(current, current + size)) {
				return true;
			}
		}
	}

	private void release(long size) {
		this.pendingBytes.addAndGet(-size);
		this.pending.decrementAndGet();
	}

	/**
	 * Waits until every event of a session submitted so far was delivered or failed (events of other sessions that
	 * share its lane and were submitted before are waited for too). Returns early when the timeout elapses, the
	 * dispatcher is closed or the thread is interrupted (the interrupt flag is kept).
	 * @param sessionId the session
	 * @param timeout the longest wait
	 */
	public void awaitSession(String sessionId, Duration timeout) {
		Lane lane = laneOf(sessionId);
		CountDownLatch marker = new CountDownLatch(1);
		if (!lane.offerMarker(marker)) {
			return;
		}
		try {
			if (!marker.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
				logger.debug("Runlayer events of a session were not delivered within {} ms; sending on",
						timeout.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The number of events accepted and not yet delivered or failed (queued or in flight), e.g. for a gauge.
	 * @return the backlog size
	 */
	public int queueSize() {
		return Math.max(0, this.pending.get());
	}

	/**
	 * The bound of the backlog.
	 * @return the capacity
	 */
	public int capacity() {
		return this.capacity;
	}

	/**
	 * The bytes held by the backlog (the declared sizes of the events accepted and not yet delivered or failed).
	 * @return the backlog size in bytes
	 */
	public long queueBytes() {
		return Math.max(0, this.pendingBytes.get());
	}

	/**
	 * The bound of the backlog in bytes.
	 * @return the byte bound
	 */
	public long maxBytes() {
		return this.maxBytes;
	}

	/**
	 * The number of events dropped since creation (full backlog, closed dispatcher, or not flushed in time).
	 * @return the count
	 */
	public long droppedCount() {
		return this.dropped.get();
	}

	/**
	 * Flushes queued events within a bounded time, then stops every lane thread. Events still queued when the time
	 * is up are dropped and counted; deliveries still in flight are interrupted. Events submitted after close are
	 * dropped. Idempotent.
	 * @param timeout the longest wait for the flush
	 */
	public void close(Duration timeout) {
		this.closed = true;
		long deadline = System.nanoTime() + Math.max(0, (timeout != null) ? timeout.toNanos() : 0);
		for (Lane lane : this.lanes) {
			lane.shutdown();
		}
		for (Lane lane : this.lanes) {
			lane.join(deadline);
		}
		long graceDeadline = System.nanoTime() + STOP_GRACE_NANOS;
		for (Lane lane : this.lanes) {
			lane.abandon();
		}
		for (Lane lane : this.lanes) {
			lane.join(graceDeadline);
		}
	}

	/**
	 * Flushes within 5 seconds, then stops.
	 */
	@Override
	public void close() {
		close(DEFAULT_SHUTDOWN_TIMEOUT);
	}

	private Lane laneOf(String sessionId) {
		int hash = (sessionId != null) ? sessionId.hashCode() : 0;
		// spread the bits so that similar ids (s-1, s-2, ...) land on different lanes
		hash ^= (hash >>> 16);
		return this.lanes[Math.floorMod(hash, this.lanes.length)];
	}

	private void drop(String eventName, String why) {
		this.dropped.incrementAndGet();
		logger.debug("Runlayer event {} dropped: {}", eventName, why);
		try {
			this.observer.telemetryDropped(eventName);
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer observer failed", ex);
		}
	}

	/** One queued item: an event delivery, or a marker counted down when the lane reaches it. */
	private record Task(String eventName, Runnable delivery, CountDownLatch marker, long bytes) {

		static Task marker(CountDownLatch marker) {
			return new Task(null, null, marker, 0);
		}

		/** The item that stops a lane. */
		static Task stop() {
			return new Task(null, null, null, 0);
		}

		boolean isEvent() {
			return this.delivery != null;
		}

	}

	/** A queue served by one lazily started daemon thread. */
	private final class Lane implements Runnable {

		private final int index;

		private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();

		private Thread thread;

		private boolean shutdown;

		private volatile boolean abandoned;

		Lane(int index) {
			this.index = index;
		}

		synchronized boolean offer(Task task) {
			if (this.shutdown) {
				return false;
			}
			start();
			return this.queue.offer(task);
		}

		synchronized boolean offerMarker(CountDownLatch marker) {
			if (this.shutdown || this.thread == null) {
				// nothing was ever queued on this lane, or it is stopping: nothing to wait for
				return false;
			}
			return this.queue.offer(Task.marker(marker));
		}

		private void start() {
			if (this.thread == null) {
				Thread t = new Thread(this, "runlayer-events-" + EventDispatcher.this.instance + "-" + this.index);
				t.setDaemon(true);
				this.thread = t;
				t.start();
			}
		}

		synchronized void shutdown() {
			this.shutdown = true;
			if (this.thread != null) {
				this.queue.offer(Task.stop());
			}
		}

		void join(long deadlineNanos) {
			Thread t;
			synchronized (this) {
				t = this.thread;
			}
			if (t == null) {
				return;
			}
			long wait = deadlineNanos - System.nanoTime();
			try {
				if (wait > 0) {
					TimeUnit.NANOSECONDS.timedJoin(t, wait);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void abandon() {
			Thread t;
			synchronized (this) {
				t = this.thread;
			}
			if (t == null || !t.isAlive()) {
				return;
			}
			this.abandoned = true;
			drain();
			// wakes a thread waiting in take(); an interrupt alone can be swallowed by a delivery
			this.queue.offer(Task.stop());
			t.interrupt();
		}

		@Override
		public void run() {
			while (true) {
				Task task;
				try {
					task = this.queue.take();
				}
				catch (InterruptedException ex) {
					// abandoned by close: whatever is still queued is dropped there
					return;
				}
				if (task.isEvent()) {
					deliver(task);
				}
				else if (task.marker() != null) {
					task.marker().countDown();
				}
				else {
					return;
				}
				if (this.abandoned) {
					drain();
					return;
				}
			}
		}

		private void deliver(Task task) {
			try {
				task.delivery().run();
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				// a delivery reports its own outcome; this only keeps the lane alive
				logger.debug("Runlayer event {} failed", task.eventName(), ex);
			}
			finally {
				release(task.bytes());
			}
		}

		private void drain() {
			Task task;
			while ((task = this.queue.poll()) != null) {
				discard(task);
			}
		}

		private void discard(Task task) {
			if (task.isEvent()) {
				release(task.bytes());
				drop(task.eventName(), "not delivered before the dispatcher was closed");
			}
			else if (task.marker() != null) {
				task.marker().countDown();
			}
		}

	}

	/** Delivers on the caller's thread. */
	private static final class Synchronous extends EventDispatcher {

		Synchronous() {
			super(1, 1, RunlayerObserver.NOOP);
		}

		@Override
		public void submit(String sessionId, String eventName, long bytes, Runnable delivery) {
			try {
				delivery.run();
			}
			catch (RuntimeException ex) {
				logger.debug("Runlayer event {} failed", eventName, ex);
			}
		}

		@Override
		public void awaitSession(String sessionId, Duration timeout) {
		}

		@Override
		public int queueSize() {
			return 0;
		}

		@Override
		public int capacity() {
			return 0;
		}

		@Override
		public void close(Duration timeout) {
		}

	}

}
