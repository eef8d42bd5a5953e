package com.runlayer.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Properties;

import com.runlayer.sdk.auth.AgentAccountAuthentication;
import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.hooks.OutputTruncator;
import com.runlayer.sdk.hooks.ToolOutputs;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.transport.HookTransport;
import com.runlayer.sdk.transport.RetryPolicy;
import com.runlayer.sdk.transport.TransportSettings;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The collaborators behind one {@link RunlayerClient}, wired once from validated settings: the transports, the
 * guarded (circuit-broken) transport, the event dispatcher and the enforcement, event and preflight collaborators.
 * The client is a thin facade over these; this class decides how they are connected and in which order they are
 * released.
 */
final class ClientParts {

	static final String SDK_VERSION = readSdkVersion();

	final ClientSettings options;

	final String baseUrl;

	final HookAuthentication authentication;

	final HookTransport transport;

	final HookTransport tokenTransport;

	final GuardedTransport guarded;

	final JsonMapper jsonMapper;

	final EventDispatcher dispatcher;

	final String userAgent;

	final ToolEnforcer tools;

	final McpSourceEnforcer mcpSources;

	final ClientEvents events;

	final Preflight preflight;

	final CallSubjects subjects;

	ClientParts(ClientSettings b, URI baseUri, HookAuthentication authentication) {
		this.options = b.copy();
		this.baseUrl = stripTrailingSlash(baseUri.toString());
		this.authentication = authentication;
		this.jsonMapper = (b.jsonMapper != null) ? b.jsonMapper : JsonMapper.builder().build();
		this.userAgent = "Runlayer-Java-SDK/" + SDK_VERSION + ((b.clientVersion != null) ? " " + b.clientVersion : "");
		TransportSettings settings = new TransportSettings(this.baseUrl, b.timeout, b.maxResponseBytes,
				new RetryPolicy(b.maxRetries), this.userAgent, b.compression, b.sslContext);
		this.transport = new HookTransport(settings, authentication);
		if (authentication instanceof AgentAccountAuthentication agent) {
			this.tokenTransport = new HookTransport(settings, null);
			agent.useTransport(this.tokenTransport);
		}
		else {
			this.tokenTransport = null;
		}
		HookPayloads payloads = new HookPayloads(this.jsonMapper, b.client, b.clientVersion);
		HookResponses responses = new HookResponses(this.jsonMapper, b.client);
		// Jackson 3 writes a bean without visible properties as {} by default: Runlayer would scan an empty object
		// while the tool gets the real one, so such inputs and outputs are refused (fail-closed) instead.
		OutputTruncator truncator = new OutputTruncator(
				this.jsonMapper.rebuild().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build());
		ToolOutputs outputs = new ToolOutputs(this.jsonMapper);
		RunlayerObserver observer = CompositeObserver.of(b.observers);
		this.dispatcher = (b.dispatcherFactory != null) ? b.dispatcherFactory.apply(observer)
				: new EventDispatcher(EventDispatcher.DEFAULT_LANES, b.eventQueueCapacity, b.eventQueueMaxBytes, observer);
		EnforcementReporter reporter = new EnforcementReporter(observer, responses);
		this.subjects = new CallSubjects(b.subjectResolver, authentication.supportsSubjects(), authentication.mode());
		this.guarded = new GuardedTransport(this.transport, authentication, this.options.circuitBreaker);
		// event fields are capped with the tool-output rule, on the plain mapper (events never refused empty beans)
		this.events = new ClientEvents(this.guarded, payloads, observer, this.dispatcher, this.options,
				new OutputTruncator(this.jsonMapper), b.eventMaxFieldBytes, this.subjects);
		this.tools = new ToolEnforcer(this.options, this.baseUrl, this.guarded, payloads, responses, truncator,
				outputs, reporter, this.events, this.subjects);
		this.mcpSources = new McpSourceEnforcer(this.options, authentication, this.jsonMapper, this.guarded,
				payloads, responses, reporter);
		this.preflight = new Preflight(this.events, this.options.cwd);
	}

	/**
	 * Releases the HTTP resources (after the event queue was flushed).
	 */
	void releaseTransports() {
		this.guarded.close();
		if (this.tokenTransport != null) {
			this.tokenTransport.close();
		}
	}

	/**
	 * The client's description for {@code toString()}: no secret, no subject.
	 * @return the description
	 */
	String describe() {
		return "RunlayerClient[baseUrl=" + this.baseUrl + ", auth=" + this.authentication.mode() + ", client="
				+ this.options.client + ", clientVersion=" + this.options.clientVersion + ", failureMode="
				+ this.options.failureMode + ", mode=" + this.options.mode.value() + ", timeout=" + this.options.timeout
				+ ", maxToolOutputBytes=" + this.options.maxToolOutputBytes + "]";
	}

	private static String stripTrailingSlash(String url) {
		String result = url;
		while (result.endsWith("/")) {
			result = result.substring(0, result.length() - 1);
		}
		return result;
	}

	private static String readSdkVersion() {
		try (InputStream in = RunlayerClient.class.getResourceAsStream("runlayer-sdk.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				String version = properties.getProperty("version");
				if (version != null && !version.isBlank() && !version.startsWith("${")) {
					return version.trim();
				}
			}
		}
		catch (IOException ex) {
			// no version resource: reported as unknown
		}
		return "unknown";
	}

}
