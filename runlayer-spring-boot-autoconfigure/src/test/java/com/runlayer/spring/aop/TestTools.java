package com.runlayer.spring.aop;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.ai.chat.model.ToolContext;
import reactor.core.publisher.Mono;

/**
 * Tool beans used by the {@code @RunlayerTool} tests; every body counts its runs so a test can prove it never ran.
 */
public final class TestTools {

	private TestTools() {
	}

	public record Ticket(String id, String status) {
	}

	public record LineItem(String sku, int quantity) {
	}

	public static class TicketTools {

		final AtomicInteger calls = new AtomicInteger();

		final IOException failure = new IOException("disk on fire");

		final IllegalStateException asyncFailure = new IllegalStateException("queue on fire");

		volatile Object lastArgument;

		int calls() {
			return this.calls.get();
		}

		Object lastArgument() {
			return this.lastArgument;
		}

		IOException failure() {
			return this.failure;
		}

		IllegalStateException asyncFailure() {
			return this.asyncFailure;
		}

		@RunlayerTool(name = "lookup_ticket")
		public Ticket lookupTicket(String ticketId, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return new Ticket(ticketId, "open");
		}

		@RunlayerTool
		public String echo(String text, int times, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return text.repeat(times);
		}

		@RunlayerTool(name = "create_ticket")
		public String createTicket(Ticket ticket, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			this.lastArgument = ticket;
			return ticket.status();
		}

		@RunlayerTool(name = "total_quantity")
		public int totalQuantity(List<LineItem> items, String orderId, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			this.lastArgument = items;
			return items.stream().mapToInt(LineItem::quantity).sum();
		}

		@RunlayerTool(name = "tag_ticket")
		public String tagTicket(Map<String, Object> tags, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			this.lastArgument = tags;
			return String.valueOf(tags.get("label"));
		}

		@RunlayerTool
		public void audit(String message, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
		}

		@RunlayerTool
		public String explode(@RunlayerSessionId String session) throws IOException {
			this.calls.incrementAndGet();
			throw this.failure;
		}

		@RunlayerTool(name = "search")
		public String search(String query) {
			this.calls.incrementAndGet();
			return "found " + query;
		}

		@RunlayerTool(name = "search_with_context")
		public String searchWithContext(String query, ToolContext toolContext) {
			this.calls.incrementAndGet();
			return "found " + query;
		}

		@RunlayerTool(name = "lookup_async")
		public CompletableFuture<Ticket> lookupAsync(String ticketId, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> new Ticket(ticketId, "open"));
		}

		@RunlayerTool(name = "explode_async")
		public CompletableFuture<String> explodeAsync(@RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> {
				throw this.asyncFailure;
			});
		}

		@RunlayerTool(name = "lookup_mono")
		public Mono<Ticket> lookupMono(String ticketId, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return Mono.fromSupplier(() -> new Ticket(ticketId, "open"));
		}

		@RunlayerTool(name = "hang_mono")
		public Mono<String> hangMono(@RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return Mono.never();
		}

		@RunlayerTool(name = "explode_mono")
		public Mono<String> explodeMono(@RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return Mono.error(this.asyncFailure);
		}

		@RunlayerTool(name = "lenient", failureMode = RunlayerTool.FailureMode.OPEN)
		public String lenient(String text, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return "ran " + text;
		}

		@RunlayerTool(name = "strict")
		public String strict(String text, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return "ran " + text;
		}

		@RunlayerTool(name = "mcp_list", mcpServerName = "runlayer")
		public String runlayerSelfTool(@RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return "self";
		}

		public String notATool(String text) {
			this.calls.incrementAndGet();
			return text;
		}

	}

	@RunlayerTool(type = "shell")
	public static class ShellTools {

		final AtomicInteger calls = new AtomicInteger();

		int calls() {
			return this.calls.get();
		}

		public String run(String command, @RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return "ran " + command;
		}

		String helper(String text) {
			this.calls.incrementAndGet();
			return text;
		}

		@RunlayerTool(name = "shell_status", type = "function")
		public String status(@RunlayerSessionId String session) {
			this.calls.incrementAndGet();
			return "ok";
		}

	}

	public interface Greeter {

		String greet(String name, @RunlayerSessionId String session);

	}

	public static class FriendlyGreeter implements Greeter {

		final AtomicInteger calls = new AtomicInteger();

		int calls() {
			return this.calls.get();
		}

		@Override
		@RunlayerTool(name = "greet")
		public String greet(String name, String session) {
			this.calls.incrementAndGet();
			return "hello " + name;
		}

	}

	public static class TwoSessionIds {

		@RunlayerTool
		public String confused(@RunlayerSessionId String a, @RunlayerSessionId String b) {
			return a + b;
		}

	}

	public static class FluxTool {

		@RunlayerTool
		public reactor.core.publisher.Flux<String> stream(@RunlayerSessionId String session) {
			return reactor.core.publisher.Flux.just("a");
		}

	}

	public static class HiddenTools {

		@RunlayerTool(name = "visible")
		public String visible(@RunlayerSessionId String session) {
			return "v";
		}

		@RunlayerTool(name = "hidden")
		private String hidden(@RunlayerSessionId String session) {
			return "h";
		}

		@RunlayerTool(name = "sealed")
		public final String sealed(@RunlayerSessionId String session) {
			return "s";
		}

		String callHidden(String session) {
			return hidden(session);
		}

	}

}
