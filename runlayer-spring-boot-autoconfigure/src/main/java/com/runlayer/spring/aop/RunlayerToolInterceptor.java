package com.runlayer.spring.aop;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.runlayer.sdk.EnforcementGuard;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolInvocation;
import com.runlayer.sdk.auth.RunlayerSubject;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * Runs pre-tool, post-tool and failure enforcement around {@link RunlayerTool} methods. Method metadata is computed
 * once per bean class and method; a call that is already enforced by an outer adapter ({@link EnforcementGuard}) or
 * that the enforcement filters skip goes straight to the method.
 */
final class RunlayerToolInterceptor implements MethodInterceptor {

	private static final Object NOT_A_TOOL = new Object();

	private static final int MAX_DETAIL = 200;

	private final ObjectProvider<RunlayerClient> clientProvider;

	private final Supplier<ToolCallIdentityResolver> identityProvider;

	private final ConcurrentHashMap<Class<?>, ConcurrentHashMap<Method, Object>> methods = new ConcurrentHashMap<>();

	private final ReactorToolSupport reactor;

	/**
	 * Runs the post-tool call of asynchronous tools. Not the futures' default executor: with two CPUs or fewer the
	 * common pool has parallelism 1 and {@code CompletableFuture} starts a new thread per task. Threads are daemons,
	 * reused, and end after 30 s idle or when the advisor is destroyed ({@link #shutdown()}); beyond 64 at once, and
	 * after the shutdown, the completing thread runs the post-tool call itself, so no tool's future is left
	 * incomplete.
	 */
	private final ThreadPoolExecutor completions = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS,
			new SynchronousQueue<>(), (runnable) -> {
				Thread thread = new Thread(runnable, "runlayer-tool-completion");
				thread.setDaemon(true);
				return thread;
			}, (runnable, executor) -> runnable.run());

	private volatile RunlayerClient client;

	private volatile ToolCallIdentityResolver identities;

	RunlayerToolInterceptor(ObjectProvider<RunlayerClient> clientProvider,
			Supplier<ToolCallIdentityResolver> identityProvider) {
		this.clientProvider = clientProvider;
		this.identityProvider = identityProvider;
		this.reactor = ClassUtils.isPresent(ToolMethod.MONO_CLASS, RunlayerToolInterceptor.class.getClassLoader())
				? new ReactorToolSupport(this) : null;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		ToolMethod tool = toolMethod(invocation);
		if (tool == null || alreadyEnforced(invocation, tool)) {
			return invocation.proceed();
		}
		RunlayerClient client = client();
		if (!client.shouldEnforceTool(tool.descriptor)) {
			return invocation.proceed();
		}
		return switch (tool.kind) {
			case SYNC -> invokeSync(invocation, tool, client);
			case STAGE -> invokeStage(invocation, tool, client);
			case MONO -> this.reactor.invoke(invocation, tool, client);
		};
	}

	/**
	 * Stops the completion threads: idle ones end now, busy ones after their post-tool call. Completions that arrive
	 * later run on the thread that completes the tool's future.
	 */
	void shutdown() {
		this.completions.shutdown();
	}

	/**
	 * Whether an outer layer (the Spring AI decorator) enforces this very invocation: only the call it made of this
	 * method on this object, never a nested, recursive or other-thread call.
	 */
	private static boolean alreadyEnforced(MethodInvocation invocation, ToolMethod tool) {
		if (!EnforcementGuard.active()) {
			return false;
		}
		Object target = (invocation instanceof ProxyMethodInvocation proxied) ? proxied.getProxy() : invocation.getThis();
		return target != null && EnforcementGuard.consume(ToolCallIdentityResolver.specificInvocationKey(tool.method,
				target));
	}

	private Object invokeSync(MethodInvocation invocation, ToolMethod tool, RunlayerClient client) throws Throwable {
		Object[] args = invocation.getArguments();
		ToolInvocation started = begin(tool, client, args, sessionId(tool, args));
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			started.fail(ex);
			throw ex;
		}
		return complete(tool, started, result);
	}

	private Object invokeStage(MethodInvocation invocation, ToolMethod tool, RunlayerClient client) throws Throwable {
		Object[] args = invocation.getArguments();
		ToolInvocation started;
		try {
			started = begin(tool, client, args, sessionId(tool, args));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		Object returned;
		try {
			returned = invocation.proceed();
		}
		catch (Throwable ex) {
			started.fail(ex);
			throw ex;
		}
		CompletionStage<?> stage = (returned != null) ? (CompletionStage<?>) returned
				: CompletableFuture.completedFuture(null);
		CompletableFuture<Object> result = new CompletableFuture<>();
		// Async: post-tool is a blocking HTTP call and must not run on the caller's thread when the tool's future
		// is already complete.
		stage.whenCompleteAsync((value, error) -> {
			if (error != null) {
				Throwable cause = unwrap(error);
				try {
					started.fail(cause);
				}
				finally {
					result.completeExceptionally(cause);
				}
				return;
			}
			try {
				result.complete(complete(tool, started, value));
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, this.completions);
		result.whenComplete((value, error) -> {
			if (error instanceof CancellationException && stage instanceof Future<?> future) {
				future.cancel(true);
			}
		});
		return result;
	}

	/**
	 * Runs tool/pre for a call and applies a rewrite to the argument array.
	 * @param tool the tool
	 * @param client the client
	 * @param args the argument array; rewritten in place
	 * @param sessionId the session id
	 * @return the started invocation
	 * @throws RunlayerBlockedException on a deny, an outage in closed mode, or a rewrite that cannot be applied
	 */
	ToolInvocation begin(ToolMethod tool, RunlayerClient client, Object[] args, String sessionId) {
		return begin(tool, client, args, sessionId, null);
	}

	/**
	 * Runs tool/pre for a call acting for a subject captured where the call started.
	 * @param tool the tool
	 * @param client the client
	 * @param args the argument array; rewritten in place
	 * @param sessionId the session id
	 * @param subject the end user, or null to resolve it now (on this thread)
	 * @return the started invocation
	 */
	ToolInvocation begin(ToolMethod tool, RunlayerClient client, Object[] args, String sessionId,
			RunlayerSubject subject) {
		ToolCall call = tool.identity.call(sessionId, toolInput(tool, args, client.jsonMapper()), null)
			.withSubject(subject);
		ToolInvocation started = client.beginTool(call, tool.identity.failureMode());
		if (started.rewritten()) {
			try {
				rewrite(tool, started.input(), args, client.jsonMapper());
			}
			catch (RunlayerBlockedException ex) {
				// Runlayer allowed the call, so close it in the audit trail although the tool never ran.
				started.fail(ex);
				throw ex;
			}
		}
		return started;
	}

	/**
	 * Runs tool/post on a result.
	 * @param tool the tool
	 * @param started the invocation
	 * @param result the raw result
	 * @return the result to return: raw or masked
	 */
	Object complete(ToolMethod tool, ToolInvocation started, Object result) {
		if (tool.returnsVoid) {
			started.complete(null, void.class);
			return null;
		}
		Object output = started.complete(result, tool.valueType);
		if (output == null && tool.primitiveReturn) {
			throw new RunlayerBlockedException("masked output is null but tool '" + tool.toolName + "' returns "
					+ tool.valueType.getTypeName(), EnforcementStage.POST_TOOL, false);
		}
		return output;
	}

	/**
	 * The session id of a call, from the first source that has one.
	 * @param tool the tool
	 * @param args the arguments
	 * @return the session id
	 * @throws RunlayerException when no source has one
	 */
	String sessionId(ToolMethod tool, Object[] args) {
		Object explicit = (tool.sessionIndex >= 0) ? args[tool.sessionIndex] : null;
		Map<String, Object> context = (tool.toolContextIndex >= 0 && args[tool.toolContextIndex] != null)
				? SpringAiToolContexts.context(args[tool.toolContextIndex]) : null;
		String id = identities().sessionId(explicit, context, tool.method, args);
		if (id != null) {
			return id;
		}
		throw new RunlayerException("No Runlayer session id for tool '" + tool.toolName + "' (" + tool.describe()
				+ "): annotate a parameter with @RunlayerSessionId, pass a Spring AI ToolContext with '"
				+ RunlayerSessionId.TOOL_CONTEXT_KEY + "' or '" + RunlayerSessionId.CONVERSATION_ID_KEY
				+ "', call the tool inside RunlayerSession.run(sessionId, ...), or declare a RunlayerSessionIdResolver"
				+ " bean");
	}

	private static Map<String, Object> toolInput(ToolMethod tool, Object[] args, JsonMapper mapper) {
		switch (tool.inputMode) {
			case NONE:
				return Map.of();
			case NAMED: {
				Map<String, Object> input = new LinkedHashMap<>();
				for (ToolMethod.Param param : tool.inputs) {
					input.put(param.name(), args[param.index()]);
				}
				return input;
			}
			default: {
				Object value = args[tool.inputs[0].index()];
				if (value == null) {
					return Map.of();
				}
				if (value instanceof Map<?, ?> map) {
					Map<String, Object> input = new LinkedHashMap<>();
					map.forEach((key, entry) -> input.put(String.valueOf(key), entry));
					return input;
				}
				try {
					@SuppressWarnings("unchecked")
					Map<String, Object> input = mapper.convertValue(value, LinkedHashMap.class);
					return input;
				}
				catch (JacksonException | IllegalArgumentException ex) {
					throw new RunlayerException("The argument of @RunlayerTool method " + tool.describe()
							+ " has no JSON object form to send as tool_input: " + detail(ex), ex);
				}
			}
		}
	}

	private static void rewrite(ToolMethod tool, Map<String, Object> modified, Object[] args, JsonMapper mapper) {
		switch (tool.inputMode) {
			case NONE:
				if (!modified.isEmpty()) {
					throw blocked(tool, "names an unknown parameter '" + modified.keySet().iterator().next()
							+ "' (the tool has no parameters)");
				}
				return;
			case NAMED: {
				for (String key : modified.keySet()) {
					if (find(tool, key) == null) {
						throw blocked(tool, "names an unknown parameter '" + key + "'");
					}
				}
				Object[] converted = new Object[tool.inputs.length];
				for (int k = 0; k < tool.inputs.length; k++) {
					ToolMethod.Param param = tool.inputs[k];
					if (!modified.containsKey(param.name())) {
						throw blocked(tool, "drops the required parameter '" + param.name() + "'");
					}
					converted[k] = convert(tool, param, modified.get(param.name()), mapper);
				}
				for (int k = 0; k < tool.inputs.length; k++) {
					args[tool.inputs[k].index()] = converted[k];
				}
				return;
			}
			default: {
				ToolMethod.Param param = tool.inputs[0];
				args[param.index()] = convert(tool, param, modified, mapper);
			}
		}
	}

	private static Object convert(ToolMethod tool, ToolMethod.Param param, Object value, JsonMapper mapper) {
		if (value == null) {
			if (param.primitive()) {
				throw blocked(tool, "sets the required parameter '" + param.name() + "' to null");
			}
			return null;
		}
		try {
			// Strict on purpose: a rewrite the declared type cannot hold exactly is blocked, never half-applied.
			return mapper.readerFor(mapper.constructType(param.type()))
				.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
						DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
				.readValue((JsonNode) mapper.valueToTree(value));
		}
		catch (UnrecognizedPropertyException ex) {
			String where = (tool.inputMode == ToolMethod.InputMode.OBJECT) ? "parameter '" + param.name()
					+ "' (" + simpleName(param) + ") has no property '" + ex.getPropertyName() + "'"
					: "parameter '" + param.name() + "' cannot take the new value: unknown property '"
							+ ex.getPropertyName() + "'";
			throw blocked(tool, "cannot be applied: " + where);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw blocked(tool, "cannot be applied: parameter '" + param.name() + "' (" + simpleName(param)
					+ ") cannot take the new value: " + detail(ex));
		}
	}

	private static String simpleName(ToolMethod.Param param) {
		String name = param.type().getTypeName();
		return name.replaceAll("([\\w$]+\\.)+", "");
	}

	private static ToolMethod.Param find(ToolMethod tool, String name) {
		for (ToolMethod.Param param : tool.inputs) {
			if (param.name().equals(name)) {
				return param;
			}
		}
		return null;
	}

	private static RunlayerBlockedException blocked(ToolMethod tool, String problem) {
		return new RunlayerBlockedException("Runlayer's argument rewrite for tool '" + tool.toolName + "' " + problem,
				EnforcementStage.PRE_TOOL, false);
	}

	private static String detail(Exception ex) {
		String message = (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage();
		if (message == null) {
			return ex.getClass().getSimpleName();
		}
		int nl = message.indexOf('\n');
		String line = (nl >= 0) ? message.substring(0, nl) : message;
		return (line.length() > MAX_DETAIL) ? line.substring(0, MAX_DETAIL) + "…" : line;
	}

	private static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while (current instanceof CompletionException && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private ToolMethod toolMethod(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Method method = invocation.getMethod();
		Class<?> targetClass = (target != null) ? target.getClass() : method.getDeclaringClass();
		ConcurrentHashMap<Method, Object> perClass = this.methods.get(targetClass);
		if (perClass == null) {
			perClass = this.methods.computeIfAbsent(targetClass, (key) -> new ConcurrentHashMap<>());
		}
		Object entry = perClass.get(method);
		if (entry == null) {
			entry = describe(method, targetClass);
			Object existing = perClass.putIfAbsent(method, entry);
			entry = (existing != null) ? existing : entry;
		}
		return (entry != NOT_A_TOOL) ? (ToolMethod) entry : null;
	}

	private Object describe(Method method, Class<?> targetClass) {
		Class<?> beanClass = ClassUtils.getUserClass(targetClass);
		Method specific = ToolMethod.specificMethod(method, beanClass);
		RunlayerTool annotation = ToolMethod.findAnnotation(specific, beanClass);
		return (annotation != null) ? ToolMethod.describe(specific, beanClass, annotation, identities())
				: NOT_A_TOOL;
	}

	private RunlayerClient client() {
		RunlayerClient current = this.client;
		if (current == null) {
			current = this.clientProvider.getObject();
			this.client = current;
		}
		return current;
	}

	private ToolCallIdentityResolver identities() {
		ToolCallIdentityResolver current = this.identities;
		if (current == null) {
			current = this.identityProvider.get();
			this.identities = (current != null) ? current : ToolCallIdentityResolver.defaults();
			current = this.identities;
		}
		return current;
	}

}
