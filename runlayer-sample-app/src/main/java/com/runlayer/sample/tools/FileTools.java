package com.runlayer.sample.tools;

import java.util.Map;

import com.runlayer.spring.aop.RunlayerTool;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/**
 * A file-reading tool over a small in-memory workspace (no real file is read).
 */
@Component
public class FileTools {

	private static final Map<String, String> FILES = Map.of(
			"README.md", "# Demo workspace\nFiles live in sandbox/.",
			"sandbox/notes.txt", "Standup notes: ship the Runlayer starter. Questions to carol@example.com.",
			"sandbox/secrets.txt", "SECRET_API_TOKEN=sk-demo-0000-not-a-real-token");

	/**
	 * Reads a file of the workspace.
	 * @param path the path, relative to the workspace
	 * @return the content, or a not-found message
	 */
	@Tool(name = "read_file", description = "Read a text file of the agent's workspace")
	@RunlayerTool // the Runlayer name is the @Tool name, read_file, on every path
	public String readFile(@ToolParam(description = "path relative to the workspace") String path) {
		String content = FILES.get(path);
		return (content != null) ? content : "No such file: " + path;
	}

}
