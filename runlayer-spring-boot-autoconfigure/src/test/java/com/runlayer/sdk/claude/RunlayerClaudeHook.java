package com.runlayer.sdk.claude;

import com.runlayer.sdk.RunlayerClient;

/**
 * The Claude Code hook command shown in the README and docs/claude-hooks.md: reads the hook input from standard input, answers
 * on standard output. Run by {@link ClaudeHookCommandTests} as a separate process.
 */
public final class RunlayerClaudeHook {

	private RunlayerClaudeHook() {
	}

	public static void main(String[] args) {
		// RUNLAYER_BASE_URL, RUNLAYER_API_KEY, ... come from the environment Claude Code runs the hook in
		System.exit(ClaudeHooks.runCommand(() -> RunlayerClient.fromEnv((builder) -> builder.clientVersion("my-hooks/1.0")),
				System.in, System.out, System.err));
	}

}
