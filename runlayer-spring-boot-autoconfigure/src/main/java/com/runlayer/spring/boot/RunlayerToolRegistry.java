package com.runlayer.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.enforcement.ToolDescriptor;

/**
 * The tools this application puts under Runlayer enforcement, for diagnostics (the {@code runlayer} actuator
 * endpoint). Integrations register what they find: the {@code @RunlayerTool} interceptor its annotated methods
 * ({@link #BEAN}), the Spring AI integration the tool callbacks it wraps ({@link #SPRING_AI}) and MCP client tools
 * ({@link #MCP_SERVER}).
 *
 * <pre>{@code
 * registry.register("lookup_ticket", RunlayerToolRegistry.BEAN, "ticketTools#lookupTicket");
 * }</pre>
 *
 * <p>Registering only records the tool; it enforces nothing and never calls Runlayer. There is one entry per tool
 * name, whichever path registered it: every path resolves a tool's identity the same way, so a tool seen both as a
 * {@code @RunlayerTool} method and as a Spring AI callback is one entry (the first path that registered it names the
 * source; {@link #register} replaces the entry, {@link #registerIfAbsent} keeps it). Whether the filters skip a tool is decided when the entries are
 * read, with {@code RunlayerClient.shouldEnforceTool(entry.tool())}. Thread-safe. Created by the auto-configuration
 * whenever the {@code RunlayerClient} bean is.
 */
public final class RunlayerToolRegistry {

	/** A Spring bean method annotated {@code @RunlayerTool}. */
	public static final String BEAN = "BEAN";

	/** A tool callback executed by Spring AI ({@code @Tool} method or function tool). */
	public static final String SPRING_AI = "SPRING_AI";

	/** A tool of an MCP server, called through Spring AI's MCP client. */
	public static final String MCP_SERVER = "MCP_SERVER";

	/** The most tools the registry holds. */
	public static final int MAX_ENTRIES = 1000;

	private final Map<String, Entry> entries = new LinkedHashMap<>();

	/**
	 * Records a tool.
	 * @param toolName the tool name as sent to Runlayer
	 * @param source where it comes from: {@link #BEAN}, {@link #SPRING_AI}, {@link #MCP_SERVER} (other values are
	 * kept as given)
	 * @param detail a human-readable origin, e.g. {@code ticketTools#lookupTicket}; may be null
	 */
	public void register(String toolName, String source, String detail) {
		register(ToolDescriptor.of(toolName), source, detail);
	}

	/**
	 * Records a tool with everything the filters look at (tool type, MCP server name, tool URL).
	 * @param tool the tool
	 * @param source where it comes from: {@link #BEAN}, {@link #SPRING_AI}, {@link #MCP_SERVER}
	 * @param detail a human-readable origin; may be null
	 */
	public void register(ToolDescriptor tool, String source, String detail) {
		register(tool, null, source, detail);
	}

	/**
	 * Records a tool with its resolved identity.
	 * @param identity the identity (name, type, MCP server, URL, failure mode)
	 * @param source where it comes from: {@link #BEAN}, {@link #SPRING_AI}, {@link #MCP_SERVER}
	 * @param detail a human-readable origin; may be null
	 */
	public void register(ToolCallIdentity identity, String source, String detail) {
		Objects.requireNonNull(identity, "identity");
		register(identity.descriptor(), identity.failureMode(), source, detail);
	}

	private void register(ToolDescriptor tool, EnforcementFailureMode failureMode, String source, String detail) {
		Objects.requireNonNull(tool, "tool");
		if (tool.toolName() == null || tool.toolName().isBlank()) {
			throw new IllegalArgumentException("toolName must not be blank");
		}
		if (source == null || source.isBlank()) {
			throw new IllegalArgumentException("source must not be blank");
		}
		Entry entry = new Entry(tool, failureMode, source, detail);
		synchronized (this.entries) {
			String key = tool.toolName();
			if (this.entries.containsKey(key) || this.entries.size() < MAX_ENTRIES) {
				this.entries.put(key, entry);
			}
		}
	}

	/**
	 * Records a tool unless one of that name is already recorded; cheap enough for every request. The registry holds
	 * at most {@value #MAX_ENTRIES} tools; further ones are not recorded.
	 * @param tool the tool
	 * @param source where it comes from, e.g. {@link #SPRING_AI}
	 * @param detail a short detail for people, may be null
	 */
	public void registerIfAbsent(ToolDescriptor tool, String source, String detail) {
		if (tool == null) {
			return;
		}
		registerIfAbsent(tool, null, source, detail);
	}

	/**
	 * Records a tool with its resolved identity unless one of that name is already recorded.
	 * @param identity the identity
	 * @param source where it comes from, e.g. {@link #SPRING_AI}
	 * @param detail a short detail for people, may be null
	 */
	public void registerIfAbsent(ToolCallIdentity identity, String source, String detail) {
		if (identity == null) {
			return;
		}
		registerIfAbsent(identity.descriptor(), identity.failureMode(), source, detail);
	}

	private void registerIfAbsent(ToolDescriptor tool, EnforcementFailureMode failureMode, String source,
			String detail) {
		if (tool.toolName() == null || tool.toolName().isBlank() || source == null) {
			return;
		}
		String key = tool.toolName();
		synchronized (this.entries) {
			if (!this.entries.containsKey(key) && this.entries.size() < MAX_ENTRIES) {
				this.entries.put(key, new Entry(tool, failureMode, source, detail));
			}
		}
	}

	/**
	 * The registered tools, in registration order.
	 * @return an immutable snapshot
	 */
	public List<Entry> entries() {
		synchronized (this.entries) {
			return List.copyOf(new ArrayList<>(this.entries.values()));
		}
	}

	/**
	 * One registered tool.
	 *
	 * @param tool what the filters know about the tool
	 * @param failureMode the tool's own failure mode, or null for the client's
	 * @param source where it comes from, e.g. {@link #BEAN}
	 * @param detail a human-readable origin; may be null
	 */
	public record Entry(ToolDescriptor tool, EnforcementFailureMode failureMode, String source, String detail) {

		/**
		 * An entry with the client's failure mode.
		 * @param tool what the filters know about the tool
		 * @param source where it comes from
		 * @param detail a human-readable origin; may be null
		 */
		public Entry(ToolDescriptor tool, String source, String detail) {
			this(tool, null, source, detail);
		}

		/**
		 * The tool name.
		 * @return the name
		 */
		public String toolName() {
			return this.tool.toolName();
		}

	}

}
