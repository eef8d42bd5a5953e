package com.runlayer.sdk.enforcement;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a tool call is enforced by Runlayer. Every adapter (the client's
 * {@code runTool}, the {@code @RunlayerTool} interceptor, the Spring AI decorator and the map adapters) asks here.
 *
 * <p>Default rules, from the Runlayer SDK: Runlayer's own MCP servers ({@code runlayer}, {@code runlayer-plugin},
 * {@code onelayer}, also inside {@code mcp__<server>__<tool>} names and the plugin-namespaced
 * {@code plugin_runlayer_<server>} form; the name's server counts only when the call names no MCP server of its own)
 * and calls whose tool URL is a Runlayer MCP proxy URL are skipped; every
 * other tool, third-party MCP tools included, is enforced. Options add ignored server and tool names (exact
 * matches), switch the two default rules off, and add custom predicates (a predicate that throws is treated as
 * "enforce"). Stateless and thread-safe.
 */
public final class ToolEnforcement {

	private static final Logger logger = LoggerFactory.getLogger(ToolEnforcement.class);

	/** Runlayer's own MCP server names. */
	public static final Set<String> RUNLAYER_SELF_MCP_SERVER_NAMES = Set.of("runlayer", "runlayer-plugin", "onelayer");

	private static final Pattern PROXY_PATH = Pattern
		.compile("^(?:.*)?/api/v1/proxy/(?:plugins/[^/]+|runlayer|[^/]+)/mcp/?$");

	private static final String PLUGIN_PREFIX = "plugin_runlayer_";

	private ToolEnforcement() {
	}

	/**
	 * Whether a tool call should be enforced.
	 * @param tool the tool call's descriptor
	 * @param options the filter options ({@code null} means the defaults)
	 * @param runlayerBaseUrl the configured Runlayer base URL, used to recognise absolute self-hosted proxy URLs;
	 * may be null
	 * @return {@code true} to enforce, {@code false} to skip
	 */
	public static boolean shouldEnforceTool(ToolDescriptor tool, ToolEnforcementOptions options,
			String runlayerBaseUrl) {
		Objects.requireNonNull(tool, "tool");
		ToolEnforcementOptions opts = (options != null) ? options : ToolEnforcementOptions.defaults();
		String toolName = tool.toolName();
		// Exact names only: ignoring "search" must not also exempt an MCP server's "mcp__x__search".
		if (toolName != null && opts.ignoredToolNames().contains(toolName.trim())) {
			return false;
		}
		// The server the call is known to go to is its identity; only without one does the server segment of an
		// mcp__<server>__<tool> name count (a third-party server chooses its tool names, so a tool it calls
		// "mcp__runlayer__x" must not borrow Runlayer's exemption).
		String server = tool.mcpServerName();
		boolean knownServer = server != null && !server.isBlank();
		if (knownServer ? isIgnoredServer(server, opts) : isIgnoredServer(serverFromToolName(toolName), opts)) {
			return false;
		}
		if (opts.skipRunlayerMcpProxyUrls() && isRunlayerProxyUrl(tool.toolUrl(), runlayerBaseUrl)) {
			return false;
		}
		for (ToolEnforcementPredicate predicate : opts.predicates()) {
			boolean enforce;
			try {
				enforce = predicate.shouldEnforce(tool);
			}
			catch (RuntimeException ex) {
				// A broken exemption rule must not switch enforcement off.
				logger.warn("Runlayer tool enforcement predicate {} failed for tool '{}'; enforcing the call",
						predicate.getClass().getName(), toolName, ex);
				enforce = true;
			}
			if (!enforce) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a URL is a Runlayer MCP proxy URL: an absolute {@code http} or {@code https} URL with a host, whose
	 * host is a {@code runlayer.com} host or the configured Runlayer host (same host and port) and whose path is
	 * {@code /api/v1/proxy/<id>/mcp}, {@code /api/v1/proxy/plugins/<id>/mcp} or {@code /api/v1/proxy/runlayer/mcp}
	 * (or {@code <base>/mcp} on the configured host). Anything else is not a proxy URL and stays enforced: a
	 * relative path, a URL without a host (e.g. a host name with an underscore, which {@link URI} cannot parse as a
	 * host), {@code file:}, {@code stdio:} or any other scheme, userinfo, or an unparseable URL.
	 * @param url the URL; may be null
	 * @param runlayerBaseUrl the configured Runlayer base URL; may be null
	 * @return whether the URL is a Runlayer proxy URL
	 */
	public static boolean isRunlayerProxyUrl(String url, String runlayerBaseUrl) {
		URI uri = parse(url);
		if (uri == null || uri.getRawUserInfo() != null) {
			return false;
		}
		String path = (uri.getPath() != null) ? uri.getPath() : "";
		URI base = parse(runlayerBaseUrl);
		if (base != null && sameOrigin(uri, base)) {
			String basePath = stripSlash(base.getPath());
			if (stripSlash(path).equals(basePath + "/mcp")) {
				return true;
			}
			return PROXY_PATH.matcher(path).matches();
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		boolean runlayerHost = host.equals("runlayer.com") || host.endsWith(".runlayer.com");
		return runlayerHost && PROXY_PATH.matcher(path).matches();
	}

	private static boolean isIgnoredServer(String server, ToolEnforcementOptions opts) {
		if (server == null || server.isBlank()) {
			return false;
		}
		String name = server.trim();
		if (opts.ignoredMcpServerNames().contains(name)) {
			return true;
		}
		if (!opts.skipRunlayerSelfMcp()) {
			return false;
		}
		String normalised = name.toLowerCase(Locale.ROOT);
		if (normalised.startsWith(PLUGIN_PREFIX)) {
			normalised = normalised.substring(PLUGIN_PREFIX.length());
		}
		// Codex rewrites dashes in server names to underscores.
		return RUNLAYER_SELF_MCP_SERVER_NAMES.contains(normalised)
				|| RUNLAYER_SELF_MCP_SERVER_NAMES.contains(normalised.replace('_', '-'));
	}

	/**
	 * The server segment of an {@code mcp__<server>__<tool>} name.
	 * @param toolName the tool name; may be null
	 * @return the server, or null when the name has no such form
	 */
	static String serverFromToolName(String toolName) {
		if (toolName == null || !toolName.startsWith("mcp__")) {
			return null;
		}
		int end = toolName.indexOf("__", 5);
		return (end > 5) ? toolName.substring(5, end) : null;
	}

	/** An absolute http(s) URL with a parsed host, or null for anything else. */
	private static URI parse(String url) {
		if (url == null || url.isBlank()) {
			return null;
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			return null;
		}
		String scheme = uri.getScheme();
		boolean web = "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme);
		return (web && !uri.isOpaque() && uri.getHost() != null && !uri.getHost().isEmpty()) ? uri : null;
	}

	private static boolean sameOrigin(URI a, URI b) {
		return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
	}

	private static String stripSlash(String path) {
		if (path == null) {
			return "";
		}
		String p = path;
		while (p.endsWith("/")) {
			p = p.substring(0, p.length() - 1);
		}
		return p;
	}

}
