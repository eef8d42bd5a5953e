package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.TranscriptStop;
import com.runlayer.sdk.transport.RandomIds;
import com.runlayer.spring.aop.ToolCallIdentityResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.core.Ordered;

/**
 * A {@code ChatClient} advisor (call and stream) that reports a turn to Runlayer: a best-effort
 * {@code UserPromptSubmit} with the user message when the request goes in, and when the response is complete a
 * transcript-bearing {@code Stop} built from the assistant messages of the turn, reasoning included as
 * {@code thinking} blocks, or a bare best-effort {@code Stop} when transcripts are off.
 *
 * <p>The session id is the advisor param {@value #SESSION_ID_PARAM}, else {@link ChatMemory#CONVERSATION_ID}, else
 * {@link RunlayerSession#current()} (trimmed; the rule of {@link ToolCallIdentityResolver}); a turn with none gets a
 * fresh random id (logged at DEBUG), so its prompt, tools and Stop still share one session. During the call it
 * scopes {@link RunlayerSession} (and, for streams, the Reactor context) to that id, so that
 * {@link RunlayerToolCallback}s find it.
 *
 * <p>The advisor also wraps the request's tool callbacks in {@link RunlayerToolCallback}s, so a {@code ChatClient}
 * that carries it has its tools enforced whichever {@code ToolCallingManager} it uses (a hand-built client makes its
 * own); wrapping is idempotent, so the auto-configured manager decorator does not enforce them twice.
 *
 * <p>Order it outside Spring AI's {@link ToolCallingAdvisor} (the default, {@link #DEFAULT_ORDER}). To see the
 * assistant messages of every round of the tool loop (not only the last), also register {@link #turnRecorder()},
 * which sits inside the loop; the auto-configured {@code ChatClientCustomizer} registers both:
 *
 * <pre>{@code
 * RunlayerAdvisor runlayer = RunlayerAdvisor.builder(runlayerClient).build();
 * ChatClient chat = ChatClient.builder(chatModel).defaultAdvisors(runlayer, runlayer.turnRecorder()).build();
 * chat.prompt().user("hi").advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, conversationId)).call().content();
 * }</pre>
 *
 * <p>The transcript Stop follows the client's failure mode: in closed mode one Runlayer does not accept fails the
 * call with a {@code RunlayerException}; in open mode it is logged at WARN (and counted by the client's observer)
 * and the answer is returned. Thread-safe.
 */
public final class RunlayerAdvisor implements CallAdvisor, StreamAdvisor {

	/** Default order: outside chat memory ({@code HIGHEST_PRECEDENCE + 200}) and tool calling ({@code + 300}). */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	/** The advisor param that names the Runlayer session explicitly. */
	public static final String SESSION_ID_PARAM = RunlayerToolCallback.SESSION_ID_KEY;

	/** The Reactor context key of the session id of a streaming call. */
	public static final String SESSION_CONTEXT_KEY = ToolCallIdentityResolver.REACTOR_SESSION_KEY;

	static final String TURN_KEY = RunlayerAdvisor.class.getName() + ".turn";

	private static final Logger logger = LoggerFactory.getLogger(RunlayerAdvisor.class);

	private final RunlayerClient client;

	private final boolean transcriptStop;

	private final int order;

	private final TurnRecorder recorder = new TurnRecorder();

	private final ToolCallbackWrapper tools;

	private RunlayerAdvisor(Builder builder) {
		this.client = Objects.requireNonNull(builder.client, "client");
		this.transcriptStop = builder.transcriptStop;
		this.order = builder.order;
		this.tools = new ToolCallbackWrapper(this.client,
				(builder.toolOptions != null) ? builder.toolOptions : RunlayerToolCallbacks.Options.defaults(),
				(builder.toolSeen != null) ? builder.toolSeen : (callback) -> {
				});
	}

	/**
	 * Starts a builder.
	 * @param client the Runlayer client
	 * @return the builder
	 */
	public static Builder builder(RunlayerClient client) {
		return new Builder(client);
	}

	/**
	 * The companion advisor that records every model response of the tool loop for the transcript; register it
	 * next to this advisor.
	 * @return the recorder (ordered just inside {@link ToolCallingAdvisor})
	 */
	public CallAdvisor turnRecorder() {
		return this.recorder;
	}

	@Override
	public String getName() {
		return "RunlayerAdvisor";
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		String sessionId = sessionId(request.context());
		emitPrompt(sessionId, request);
		Turn turn = new Turn();
		ChatClientRequest tracked = enforceTools(request.mutate().context(TURN_KEY, turn).build());
		ChatClientResponse response = RunlayerSession.call(sessionId, () -> chain.nextCall(tracked));
		List<String> lines = new ArrayList<>();
		String model = model(request, (response != null) ? response.chatResponse() : null);
		if (!turn.responses.isEmpty()) {
			for (ChatResponse recorded : turn.responses) {
				lines.addAll(RunlayerTranscripts.chatResponseLines(recorded, sessionId, model));
			}
		}
		else if (response != null) {
			lines.addAll(RunlayerTranscripts.chatResponseLines(response.chatResponse(), sessionId, model));
		}
		stop(sessionId, model, lines);
		return response;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		String sessionId = sessionId(request.context());
		emitPrompt(sessionId, request);
		StreamTurn turn = new StreamTurn();
		ChatClientRequest enforced = enforceTools(request);
		Mono<ChatClientResponse> stop = Mono.<ChatClientResponse>fromRunnable(() -> {
			String model = (turn.model != null) ? turn.model : model(request, null);
			AssistantMessage message = turn.message();
			List<String> lines = RunlayerTranscripts.hasContent(message)
					? List.of(RunlayerTranscripts.assistantMessageLine(message, sessionId, model, turn.id, turn.usage))
					: List.of();
			stop(sessionId, model, lines);
		}).subscribeOn(Schedulers.boundedElastic());
		return chain.nextStream(enforced)
			.doOnNext(turn::add)
			.concatWith(stop)
			.contextWrite((context) -> context.put(SESSION_CONTEXT_KEY, sessionId));
	}

	private void emitPrompt(String sessionId, ChatClientRequest request) {
		try {
			UserMessage user = request.prompt().getUserMessage();
			String prompt = (user != null) ? user.getText() : null;
			if (prompt != null && !prompt.isBlank()) {
				this.client.emitUserPromptSubmit(sessionId, prompt);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("RunlayerAdvisor: UserPromptSubmit not sent", ex);
		}
	}

	/**
	 * Wraps the request's tool callbacks, so that the tools of this turn are enforced whichever
	 * {@code ToolCallingManager} the {@code ChatClient} runs them with (a hand-built client makes its own).
	 */
	private ChatClientRequest enforceTools(ChatClientRequest request) {
		Prompt prompt = request.prompt();
		if (!(prompt.getOptions() instanceof ToolCallingChatOptions options) || options.getToolCallbacks() == null
				|| options.getToolCallbacks().isEmpty()) {
			return request;
		}
		List<ToolCallback> callbacks = options.getToolCallbacks();
		boolean allWrapped = true;
		for (ToolCallback callback : callbacks) {
			allWrapped &= callback instanceof RunlayerToolCallback;
		}
		if (allWrapped) {
			return request;
		}
		return request.mutate().prompt(this.tools.wrapTools(prompt)).build();
	}

	/**
	 * Sends the turn's Stop. A transcript Stop follows the client's failure mode: strict in closed mode (the turn
	 * fails when Runlayer does not accept it), best-effort in open mode (a WARN, counted by the client's observer as
	 * a failed event, and the answer is returned).
	 */
	private void stop(String sessionId, String model, List<String> lines) {
		if (!this.transcriptStop) {
			this.client.emitStop(sessionId);
			return;
		}
		try {
			this.client.emitTranscriptStop(new TranscriptStop(sessionId, model, lines));
		}
		catch (RunlayerException ex) {
			if (this.client.enforcementFailureMode() != EnforcementFailureMode.OPEN) {
				throw ex;
			}
			logger.warn("Runlayer did not accept the transcript Stop of session '{}' (failure mode open, the answer is"
					+ " returned): {}", sessionId, ex.getMessage());
		}
	}

	/**
	 * The session of a turn: the identity resolver's rule over the advisor params, else a fresh id for this turn.
	 */
	private String sessionId(Map<String, Object> context) {
		String id = this.tools.options().identities().turnSessionId(context);
		if (id != null) {
			return id;
		}
		id = RandomIds.uuid();
		logger.debug("RunlayerAdvisor: the turn names no session (advisor param '{}' or '{}', or RunlayerSession);"
				+ " using the fresh session '{}' for its prompt, tools and Stop", SESSION_ID_PARAM,
				ChatMemory.CONVERSATION_ID, id);
		return id;
	}

	private static String model(ChatClientRequest request, ChatResponse response) {
		if (response != null && response.getMetadata() != null && response.getMetadata().getModel() != null
				&& !response.getMetadata().getModel().isBlank()) {
			return response.getMetadata().getModel();
		}
		return (request.prompt().getOptions() != null) ? request.prompt().getOptions().getModel() : null;
	}

	@Override
	public String toString() {
		return "RunlayerAdvisor[order=" + this.order + ", transcriptStop=" + this.transcriptStop + "]";
	}

	/** The model responses of one call, recorded inside the tool loop. */
	static final class Turn {

		final List<ChatResponse> responses = new CopyOnWriteArrayList<>();

	}

	/** Accumulates the chunks of a streamed response into one assistant message. */
	private static final class StreamTurn {

		private final StringBuilder text = new StringBuilder();

		private final StringBuilder reasoning = new StringBuilder();

		private final List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>();

		private volatile String model;

		private volatile String id;

		private volatile Usage usage;

		synchronized void add(ChatClientResponse chunk) {
			ChatResponse response = chunk.chatResponse();
			if (response == null) {
				return;
			}
			if (response.getMetadata() != null) {
				if (response.getMetadata().getModel() != null && !response.getMetadata().getModel().isBlank()) {
					this.model = response.getMetadata().getModel();
				}
				if (response.getMetadata().getId() != null && !response.getMetadata().getId().isBlank()) {
					this.id = response.getMetadata().getId();
				}
				Usage u = response.getMetadata().getUsage();
				if (u != null && u.getTotalTokens() != null && u.getTotalTokens() > 0) {
					this.usage = u;
				}
			}
			for (Generation generation : response.getResults()) {
				AssistantMessage message = generation.getOutput();
				if (message == null) {
					continue;
				}
				String r = RunlayerTranscripts.reasoning(message);
				boolean thought = Boolean.TRUE.equals(message.getMetadata().get("isThought"));
				if (r != null) {
					this.reasoning.append(r);
				}
				if (message.getText() != null) {
					(thought ? this.reasoning : this.text).append(message.getText());
				}
				this.toolCalls.addAll(message.getToolCalls());
			}
		}

		synchronized AssistantMessage message() {
			AssistantMessage.Builder<?> builder = AssistantMessage.builder().content(this.text.toString());
			if (!this.reasoning.isEmpty()) {
				builder.properties(Map.of("reasoningContent", this.reasoning.toString()));
			}
			if (!this.toolCalls.isEmpty()) {
				builder.toolCalls(List.copyOf(this.toolCalls));
			}
			return builder.build();
		}

	}

	/** Records every model response of the tool loop into the call's {@link Turn}. */
	private static final class TurnRecorder implements CallAdvisor {

		@Override
		public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
			ChatClientResponse response = chain.nextCall(request);
			if (request.context().get(TURN_KEY) instanceof Turn turn && response != null
					&& response.chatResponse() != null) {
				turn.responses.add(response.chatResponse());
			}
			return response;
		}

		@Override
		public String getName() {
			return "RunlayerTurnRecorder";
		}

		@Override
		public int getOrder() {
			return ToolCallingAdvisor.DEFAULT_ORDER + 1;
		}

	}

	/**
	 * Builder of {@link RunlayerAdvisor}. Not thread-safe.
	 */
	public static final class Builder {

		private final RunlayerClient client;

		private boolean transcriptStop = true;

		private int order = DEFAULT_ORDER;

		private RunlayerToolCallbacks.Options toolOptions;

		private Consumer<RunlayerToolCallback> toolSeen;

		private Builder(RunlayerClient client) {
			this.client = client;
		}

		/**
		 * The options the advisor wraps each request's tool callbacks with (denial mode, MCP sources, identity
		 * resolver); default {@link RunlayerToolCallbacks.Options#defaults()}.
		 * @param toolOptions the options
		 * @return this builder
		 */
		public Builder toolOptions(RunlayerToolCallbacks.Options toolOptions) {
			this.toolOptions = toolOptions;
			return this;
		}

		/**
		 * A listener told of every tool a request offers, once wrapped (e.g. to list it in the actuator endpoint).
		 * @param toolSeen the listener; must be fast and not throw
		 * @return this builder
		 */
		public Builder toolSeen(Consumer<RunlayerToolCallback> toolSeen) {
			this.toolSeen = toolSeen;
			return this;
		}

		/**
		 * Whether the Stop carries the transcript (default true); false sends a bare best-effort Stop.
		 * @param transcriptStop the flag
		 * @return this builder
		 */
		public Builder transcriptStop(boolean transcriptStop) {
			this.transcriptStop = transcriptStop;
			return this;
		}

		/**
		 * The advisor order (default {@link RunlayerAdvisor#DEFAULT_ORDER}); keep it below
		 * {@link ToolCallingAdvisor#DEFAULT_ORDER}.
		 * @param order the order
		 * @return this builder
		 */
		public Builder order(int order) {
			this.order = order;
			return this;
		}

		/**
		 * Builds the advisor.
		 * @return the advisor
		 */
		public RunlayerAdvisor build() {
			return new RunlayerAdvisor(this);
		}

	}

}
