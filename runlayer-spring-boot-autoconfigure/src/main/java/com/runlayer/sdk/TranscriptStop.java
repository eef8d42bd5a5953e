package com.runlayer.sdk;

import java.util.List;

/**
 * A transcript-bearing Stop: the assistant lines of a finished turn, so that Runlayer can extract reasoning.
 *
 * @param sessionId the session id; required
 * @param model the model name, may be null
 * @param transcriptLines JSONL lines, one JSON object each (see {@code RunlayerTranscripts}); may be empty
 */
public record TranscriptStop(String sessionId, String model, List<String> transcriptLines) {

	/**
	 * Copies the line list.
	 * @param sessionId the session id; required
	 * @param model the model name, may be null
	 * @param transcriptLines JSONL lines, one JSON object each (see {@code RunlayerTranscripts}); may be empty
	 */
	public TranscriptStop {
		transcriptLines = (transcriptLines != null) ? List.copyOf(transcriptLines) : List.of();
	}

}
