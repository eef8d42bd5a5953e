package com.runlayer.sample.tools;

import java.util.Map;

import com.runlayer.spring.aop.RunlayerTool;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/**
 * A ticket lookup tool over a few in-memory tickets.
 */
@Component
public class TicketTools {

	private static final Map<String, Ticket> TICKETS = Map.of(
			"T-1", new Ticket("T-1", "Login page returns 500", "open", "alice@example.com"),
			"T-2", new Ticket("T-2", "Dark mode colours", "closed", "bob@example.com"));

	/**
	 * Looks a ticket up.
	 * @param ticketId the ticket id, e.g. {@code T-1}
	 * @return the ticket as text
	 */
	@Tool(name = "lookup_ticket", description = "Look up a support ticket by id")
	@RunlayerTool
	public String lookupTicket(@ToolParam(description = "the ticket id, e.g. T-1") String ticketId) {
		Ticket ticket = TICKETS.get(ticketId.trim().toUpperCase(java.util.Locale.ROOT));
		if (ticket == null) {
			return "No ticket " + ticketId;
		}
		return ticket.id() + " [" + ticket.status() + "] " + ticket.title() + " (reported by " + ticket.reporter() + ")";
	}

	/**
	 * A support ticket.
	 *
	 * @param id the id
	 * @param title the title
	 * @param status open or closed
	 * @param reporter the reporter's e-mail
	 */
	public record Ticket(String id, String title, String status, String reporter) {
	}

}
