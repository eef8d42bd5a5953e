package com.runlayer.spring.aop;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.ToolInvocation;
import com.runlayer.sdk.auth.RunlayerSubject;
import org.aopalliance.intercept.MethodInvocation;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Enforcement of {@code Mono} tools. Created only when Reactor is on the classpath.
 *
 * <p>A {@code Mono} is lazy, so each subscription is one tool call: the session and the end user (subject) are
 * resolved when the method is called, and tool/pre, the method itself (with the possibly rewritten arguments), tool/post and failure telemetry
 * run when the result is subscribed to. The Runlayer calls block, so they run on {@link Schedulers#boundedElastic()},
 * never on the subscriber's (possibly event-loop) thread; the method runs there too, inside a
 * {@link RunlayerSession} scope of the call's session. A subscriber that cancels while the method's {@code Mono} runs
 * ends the call with failure telemetry (a {@code CancellationException}), so every allowed call is closed once.
 */
final class ReactorToolSupport {

	private final RunlayerToolInterceptor interceptor;

	ReactorToolSupport(RunlayerToolInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	Object invoke(MethodInvocation invocation, ToolMethod tool, RunlayerClient client) {
		if (!(invocation instanceof ProxyMethodInvocation proxyInvocation)) {
			throw new IllegalStateException("@RunlayerTool Mono methods need a Spring AOP proxy invocation, got "
					+ invocation.getClass().getName());
		}
		Object[] original = invocation.getArguments().clone();
		String sessionId;
		RunlayerSubject subject;
		try {
			sessionId = this.interceptor.sessionId(tool, original);
			// like the session, the end user is taken where the call starts (e.g. the request's security context)
			subject = client.resolveSubject(sessionId).orElse(null);
		}
		catch (RuntimeException ex) {
			return Mono.error(ex);
		}
		return Mono.defer(() -> {
			Object[] args = original.clone();
			return Mono.fromCallable(() -> this.interceptor.begin(tool, client, args, sessionId, subject))
				.subscribeOn(Schedulers.boundedElastic())
				.flatMap((started) -> run(proxyInvocation, args, sessionId, tool, started));
		});
	}

	private Mono<Object> run(ProxyMethodInvocation invocation, Object[] args, String sessionId, ToolMethod tool,
			ToolInvocation started) {
		// the call ends once: with tool/post, or with failure telemetry (an error, or a cancel while it runs)
		AtomicBoolean ended = new AtomicBoolean();
		Mono<?> source;
		try {
			MethodInvocation call = invocation.invocableClone(args);
			source = RunlayerSession.call(sessionId, () -> proceed(call));
		}
		catch (Throwable ex) {
			ended.set(true);
			started.fail(ex);
			return Mono.error(ex);
		}
		if (source == null) {
			source = Mono.empty();
		}
		return source.map(Optional::<Object>of)
			.defaultIfEmpty(Optional.empty())
			.onErrorResume((error) -> !ended.compareAndSet(false, true) ? Mono.error(error)
					: Mono.fromRunnable(() -> started.fail(error))
						.subscribeOn(Schedulers.boundedElastic())
						.then(Mono.error(error)))
			.publishOn(Schedulers.boundedElastic())
			.flatMap((value) -> ended.compareAndSet(false, true)
					? Mono.justOrEmpty(this.interceptor.complete(tool, started, value.orElse(null))) : Mono.empty())
			.doOnCancel(() -> {
				if (ended.compareAndSet(false, true)) {
					Schedulers.boundedElastic()
						.schedule(() -> started.fail(new CancellationException(
								"The subscriber cancelled the Mono of tool '" + tool.toolName + "' while it ran")));
				}
			});
	}

	private static Mono<?> proceed(MethodInvocation call) throws Exception {
		try {
			return (Mono<?>) call.proceed();
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

}
