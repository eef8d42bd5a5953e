package com.runlayer.sdk.adapters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.ToolInvocation;

/**
 * Framework-free adapters for map-shaped tools, the Java counterpart of the Python SDK's duck-typed wrappers
 * ({@code with_runlayer_vercel_ai_tool}, {@code with_runlayer_openai_agents_tool}, ...).
 *
 * <p>A tool is a {@code Map<String, Object>} whose {@code execute} entry is an {@link AdapterExecute}. A wrapper
 * returns a new map with every entry of the original and {@code execute} replaced by one that runs the original
 * under Runlayer enforcement ({@link com.runlayer.sdk.RunlayerClient#beginTool pre-tool} with argument rewriting,
 * then post-tool with blocking and masking, failure telemetry when the tool throws), passing the extra context
 * arguments through unchanged. The original map is never changed. A tool without {@code execute} (a tool the
 * framework runs elsewhere) is returned as a plain copy; an already wrapped {@code execute} is not wrapped twice.
 * The client's tool enforcement filters apply, so Runlayer's own MCP tools run without a Runlayer call.
 *
 * <p>Stateless; the returned tools are thread-safe when the original {@code execute} is.
 */
public final class RunlayerAdapters {

	/** The map key of a tool's function. */
	public static final String EXECUTE = "execute";

	/** The map key of a tool's name (OpenAI Agents and Google ADK shapes). */
	public static final String NAME = "name";

	private RunlayerAdapters() {
	}

	/**
	 * Wraps a Vercel AI-style tool, named by its key in the tool set.
	 * @param toolName the tool name
	 * @param tool the tool map
	 * @param options the adapter options
	 * @return a new tool map with {@code execute} enforced
	 * @throws RunlayerException when the name is blank or {@code execute} is not an {@link AdapterExecute}
	 */
	public static Map<String, Object> withRunlayerVercelAiTool(String toolName, Map<String, Object> tool,
			AdapterOptions options) {
		return wrap(requireName(toolName, "toolName"), tool, options);
	}

	/**
	 * Wraps every tool of a Vercel AI-style tool set; each tool is named by its key.
	 * @param tools the tool set (keys are tool names, values tool maps)
	 * @param options the adapter options
	 * @return a new tool set, in the same order, with every {@code execute} enforced
	 * @throws RunlayerException when a value is not a map or an {@code execute} is not an {@link AdapterExecute}
	 */
	public static Map<String, Map<String, Object>> withRunlayerVercelAiTools(Map<String, ?> tools,
			AdapterOptions options) {
		Objects.requireNonNull(tools, "tools");
		Map<String, Map<String, Object>> wrapped = new LinkedHashMap<>();
		tools.forEach((name, tool) -> wrapped.put(name, withRunlayerVercelAiTool(name, asToolMap(name, tool), options)));
		return wrapped;
	}

	/**
	 * Wraps an OpenAI Agents-style function tool map, named by its {@code name} entry (or the {@code name} of a
	 * nested {@code function} map, the Chat Completions shape).
	 * @param tool the tool map
	 * @param options the adapter options
	 * @return a new tool map with {@code execute} enforced
	 * @throws RunlayerException when the tool has no name or {@code execute} is not an {@link AdapterExecute}
	 */
	public static Map<String, Object> withRunlayerOpenAiAgentsTool(Map<String, Object> tool, AdapterOptions options) {
		Objects.requireNonNull(tool, "tool");
		Object name = tool.get(NAME);
		if (!(name instanceof String) && tool.get("function") instanceof Map<?, ?> function) {
			name = function.get(NAME);
		}
		return wrap(requireName(name, "name"), tool, options);
	}

	/**
	 * Wraps a Google ADK-style function tool map, named by its {@code name} entry.
	 * @param tool the tool map
	 * @param options the adapter options
	 * @return a new tool map with {@code execute} enforced
	 * @throws RunlayerException when the tool has no name or {@code execute} is not an {@link AdapterExecute}
	 */
	public static Map<String, Object> withRunlayerGoogleAdkTool(Map<String, Object> tool, AdapterOptions options) {
		Objects.requireNonNull(tool, "tool");
		return wrap(requireName(tool.get(NAME), "name"), tool, options);
	}

	/**
	 * Runs one tool call under Runlayer enforcement, the building block of the wrappers for custom frameworks.
	 * @param toolName the tool name
	 * @param execute the tool function
	 * @param input the tool input, may be null (empty)
	 * @param options the adapter options
	 * @param context extra context arguments passed to {@code execute} unchanged
	 * @return the tool output, or the output as masked by Runlayer
	 * @throws RunlayerBlockedException when Runlayer denies the call or blocks its output, or on an outage in closed
	 * mode; the tool's own exception is rethrown unchanged
	 */
	public static Object runRunlayerAdapterTool(String toolName, AdapterExecute execute, Map<String, Object> input,
			AdapterOptions options, Object... context) {
		Objects.requireNonNull(execute, "execute");
		Objects.requireNonNull(options, "options");
		Object[] args = (context != null) ? context : new Object[0];
		ToolCallIdentity identity = options.identity(requireName(toolName, "toolName"));
		ToolCall call = identity.call(options.resolveSessionId(args), input, null);
		ToolInvocation invocation = options.client().beginTool(call, identity.failureMode());
		Object output;
		try {
			output = execute.execute(invocation.input(), args);
		}
		catch (Throwable ex) {
			invocation.fail(ex);
			throw sneakyThrow(ex);
		}
		return invocation.complete(output);
	}

	private static Map<String, Object> wrap(String toolName, Map<String, Object> tool, AdapterOptions options) {
		Objects.requireNonNull(tool, "tool");
		Objects.requireNonNull(options, "options");
		Map<String, Object> copy = new LinkedHashMap<>(tool);
		Object execute = tool.get(EXECUTE);
		if (execute == null || execute instanceof EnforcedExecute) {
			return copy;
		}
		if (!(execute instanceof AdapterExecute original)) {
			throw new RunlayerException("Tool '" + toolName + "': the 'execute' entry must be a "
					+ AdapterExecute.class.getName() + ", not " + execute.getClass().getName()
					+ "; it cannot be enforced");
		}
		copy.put(EXECUTE, new EnforcedExecute(toolName, original, options));
		return copy;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asToolMap(String name, Object tool) {
		if (!(tool instanceof Map<?, ?> map)) {
			throw new RunlayerException("Tool '" + name + "' is not a tool map but "
					+ ((tool != null) ? tool.getClass().getName() : "null"));
		}
		return (Map<String, Object>) map;
	}

	private static String requireName(Object name, String field) {
		if (!(name instanceof String text) || text.isBlank()) {
			throw new RunlayerException("A tool needs a non-blank " + field + " to be enforced by Runlayer");
		}
		return text;
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> RuntimeException sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	/** The enforced {@code execute} put into wrapped tool maps. */
	private record EnforcedExecute(String toolName, AdapterExecute original, AdapterOptions options)
			implements AdapterExecute {

		@Override
		public Object execute(Map<String, Object> input, Object... context) {
			return runRunlayerAdapterTool(this.toolName, this.original, input, this.options, context);
		}

		@Override
		public String toString() {
			return "RunlayerEnforced[" + this.toolName + "]";
		}

	}

}
