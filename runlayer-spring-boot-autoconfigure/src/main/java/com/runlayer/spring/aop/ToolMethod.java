package com.runlayer.spring.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.enforcement.ToolDescriptor;

import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.util.ClassUtils;

/**
 * What the interceptor needs to know about one {@link RunlayerTool} method of one bean class, computed once: tool
 * identity, where the session id and the tool input come from, and how the result is delivered.
 */
final class ToolMethod {

	static final String TOOL_CONTEXT_CLASS = "org.springframework.ai.chat.model.ToolContext";

	static final String MONO_CLASS = "reactor.core.publisher.Mono";

	private static final String PUBLISHER_CLASS = "org.reactivestreams.Publisher";

	/** The return value is delivered. */
	enum Kind {

		/** The method returns its result (or nothing). */
		SYNC,

		/** {@code CompletableFuture} / {@code CompletionStage}. */
		STAGE,

		/** Reactor {@code Mono}. */
		MONO

	}

	/** How the arguments become {@code tool_input}. */
	enum InputMode {

		/** No input parameter: {@code {}}. */
		NONE,

		/** Parameter names to values. */
		NAMED,

		/** The JSON form of the single record, JavaBean or Map parameter. */
		OBJECT

	}

	/**
	 * One input parameter.
	 * @param index the position in the argument array
	 * @param name the parameter name (the tool_input key)
	 * @param type the declared generic type, resolved against the bean class
	 * @param primitive whether the type is primitive (null is not a value)
	 */
	record Param(int index, String name, Type type, boolean primitive) {
	}

	final Method method;

	final Class<?> beanClass;

	final ToolCallIdentity identity;

	final String toolName;

	final ToolDescriptor descriptor;

	final Kind kind;

	final Type valueType;

	final boolean returnsVoid;

	final boolean primitiveReturn;

	final InputMode inputMode;

	final Param[] inputs;

	final int sessionIndex;

	final int toolContextIndex;

	private ToolMethod(Method method, Class<?> beanClass, ToolCallIdentity identity, Kind kind, Type valueType,
			InputMode inputMode, Param[] inputs, int sessionIndex, int toolContextIndex) {
		this.method = method;
		this.beanClass = beanClass;
		this.identity = identity;
		this.toolName = identity.toolName();
		this.descriptor = identity.descriptor();
		this.kind = kind;
		this.valueType = valueType;
		this.returnsVoid = kind == Kind.SYNC && (valueType == void.class || valueType == Void.class);
		this.primitiveReturn = kind == Kind.SYNC && !this.returnsVoid && valueType instanceof Class<?> c
				&& c.isPrimitive();
		this.inputMode = inputMode;
		this.inputs = inputs;
		this.sessionIndex = sessionIndex;
		this.toolContextIndex = toolContextIndex;
	}

	/**
	 * The {@code @RunlayerTool} annotation that applies to a method of a bean class: the method's own (searched
	 * through overridden methods), else the class's for a public instance method not declared by {@code Object}.
	 * @param method the bean class's own method
	 * @param beanClass the bean class
	 * @return the annotation, or null when the method is not a tool
	 */
	static RunlayerTool findAnnotation(Method method, Class<?> beanClass) {
		RunlayerTool tool = AnnotatedElementUtils.findMergedAnnotation(method, RunlayerTool.class);
		if (tool != null) {
			return tool;
		}
		if (!isClassLevelCandidate(method)) {
			return null;
		}
		return AnnotatedElementUtils.findMergedAnnotation(beanClass, RunlayerTool.class);
	}

	/**
	 * Whether a class-level {@code @RunlayerTool} covers a method: public, not static, not bridge or synthetic,
	 * not declared by {@code Object}.
	 * @param method the method
	 * @return the flag
	 */
	static boolean isClassLevelCandidate(Method method) {
		int modifiers = method.getModifiers();
		return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && !method.isBridge()
				&& !method.isSynthetic() && method.getDeclaringClass() != Object.class;
	}

	/**
	 * The bean class's own method for an invoked (possibly interface) method.
	 * @param method the invoked method
	 * @param beanClass the bean class
	 * @return the most specific method
	 */
	static Method specificMethod(Method method, Class<?> beanClass) {
		Method specific = ClassUtils.getMostSpecificMethod(method, beanClass);
		return BridgeMethodResolver.findBridgedMethod(specific);
	}

	/**
	 * Describes a tool method.
	 * @param method the bean class's own method
	 * @param beanClass the bean class
	 * @param tool the annotation that applies
	 * @param identities resolves the tool's identity
	 * @return the description
	 * @throws RunlayerException when the method cannot be a tool (names the method and the fix)
	 */
	static ToolMethod describe(Method method, Class<?> beanClass, RunlayerTool tool,
			ToolCallIdentityResolver identities) {
		AnnotatedMethod annotated = new AnnotatedMethod(method);
		MethodParameter[] parameters = annotated.getMethodParameters();
		Parameter[] reflected = method.getParameters();
		int sessionIndex = -1;
		int toolContextIndex = -1;
		List<Integer> inputIndexes = new ArrayList<>();
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i].hasParameterAnnotation(RunlayerSessionId.class)) {
				if (sessionIndex >= 0) {
					throw invalid(method, "more than one parameter is annotated with @RunlayerSessionId");
				}
				sessionIndex = i;
			}
			else if (TOOL_CONTEXT_CLASS.equals(parameters[i].getParameterType().getName())) {
				toolContextIndex = i;
			}
			else {
				inputIndexes.add(i);
			}
		}
		InputMode mode;
		Param[] inputs = new Param[inputIndexes.size()];
		if (inputIndexes.isEmpty()) {
			mode = InputMode.NONE;
		}
		else if (inputIndexes.size() == 1 && isObjectLike(parameters[inputIndexes.get(0)].getParameterType())) {
			mode = InputMode.OBJECT;
		}
		else {
			mode = InputMode.NAMED;
		}
		for (int k = 0; k < inputs.length; k++) {
			int i = inputIndexes.get(k);
			if (mode == InputMode.NAMED && !reflected[i].isNamePresent()) {
				throw invalid(method, "its parameter names are not available; compile with the javac option"
						+ " -parameters (Spring Boot's Maven and Gradle plugins set it) so that tool_input can name them");
			}
			Type type = GenericTypeResolver.resolveType(method.getGenericParameterTypes()[i], beanClass);
			inputs[k] = new Param(i, reflected[i].getName(), type, method.getParameterTypes()[i].isPrimitive());
		}
		Class<?> raw = method.getReturnType();
		Kind kind;
		Type valueType;
		if (CompletionStage.class.isAssignableFrom(raw)) {
			if (raw != CompletionStage.class && raw != CompletableFuture.class) {
				throw invalid(method, "it returns " + raw.getName()
						+ "; asynchronous tools must declare CompletableFuture or CompletionStage");
			}
			kind = Kind.STAGE;
			valueType = typeArgument(ResolvableType.forMethodReturnType(method, beanClass).as(CompletionStage.class));
		}
		else if (MONO_CLASS.equals(raw.getName())) {
			kind = Kind.MONO;
			valueType = typeArgument(ResolvableType.forMethodReturnType(method, beanClass).as(raw));
		}
		else if (isPublisher(raw)) {
			throw invalid(method, "it returns " + raw.getName()
					+ "; of the reactive types only Reactor Mono is supported (return a Mono of the collected result)");
		}
		else {
			kind = Kind.SYNC;
			valueType = (raw == void.class) ? void.class
					: GenericTypeResolver.resolveType(method.getGenericReturnType(), beanClass);
		}
		return new ToolMethod(method, beanClass, identities.forMethod(method, tool), kind, valueType, mode, inputs,
				sessionIndex, toolContextIndex);
	}

	/**
	 * Whether a single parameter of this type is sent as its own JSON object: a {@code Map}, a record or a class of
	 * the application (not a JDK type, enum, array, collection or primitive).
	 */
	private static boolean isObjectLike(Class<?> type) {
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return true;
		}
		if (type.isPrimitive() || type.isArray() || type.isEnum() || type.isInterface()
				|| Collection.class.isAssignableFrom(type) || type == Object.class) {
			return false;
		}
		String name = type.getName();
		return !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
				|| name.startsWith("tools.jackson.") || name.startsWith("com.fasterxml.jackson.")
				|| name.startsWith("kotlin.") || name.startsWith("org.springframework."));
	}

	private static Type typeArgument(ResolvableType container) {
		ResolvableType generic = container.getGeneric(0);
		Type type = generic.getType();
		if (type instanceof TypeVariable<?> || type instanceof WildcardType || generic == ResolvableType.NONE) {
			Class<?> resolved = generic.resolve();
			return (resolved != null) ? resolved : Object.class;
		}
		return type;
	}

	private static boolean isPublisher(Class<?> type) {
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			if (implementsPublisher(c)) {
				return true;
			}
		}
		return false;
	}

	private static boolean implementsPublisher(Class<?> type) {
		if (PUBLISHER_CLASS.equals(type.getName())) {
			return true;
		}
		for (Class<?> i : type.getInterfaces()) {
			if (implementsPublisher(i)) {
				return true;
			}
		}
		return false;
	}

	private static RunlayerException invalid(Method method, String problem) {
		return new RunlayerException("@RunlayerTool method " + describe(method) + " cannot be enforced: " + problem);
	}

	/**
	 * A method as {@code Class.method(ParamType, ...)} for messages.
	 * @param method the method
	 * @return the text
	 */
	static String describe(Method method) {
		StringBuilder text = new StringBuilder(method.getDeclaringClass().getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			text.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return text.append(')').toString();
	}

	/**
	 * The method for messages.
	 * @return the text
	 */
	String describe() {
		return describe(this.method);
	}

}
