package com.runlayer.spring.actuate;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations the starter makes, with their key names, in the form Micrometer's documentation tooling reads.
 *
 * <p>One {@link #ENFORCEMENT} observation per enforcement call (tool/pre, tool/post, MCP source check) that goes to
 * Runlayer; none for a tool call the filters skip. It is started on the caller's thread, so it nests under the
 * observation current there, e.g. Spring AI's {@code spring.ai.tool}.
 */
public enum RunlayerObservationDocumentation implements ObservationDocumentation {

	/**
	 * One enforcement call to Runlayer.
	 */
	ENFORCEMENT {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultRunlayerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[0];
		}

	};

	/**
	 * Low-cardinality keys of the {@link #ENFORCEMENT} observation (they become metric tags).
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * The enforcement stage: {@code pre_tool}, {@code post_tool} or {@code mcp_source}.
		 */
		STAGE {
			@Override
			public String asString() {
				return "runlayer.stage";
			}
		},

		/**
		 * What Runlayer decided: {@code allow}, {@code rewrite}, {@code deny}, {@code block}, {@code mask}, or
		 * {@code outage} when it could not give a valid answer (never reported as an allow).
		 */
		DECISION {
			@Override
			public String asString() {
				return "runlayer.decision";
			}
		},

		/**
		 * What happened to the tool call: {@code allowed} (it goes on, or its output is returned, possibly masked or
		 * rewritten) or {@code blocked}. An outage is {@code blocked} in closed failure mode and {@code allowed} in
		 * open mode.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "runlayer.outcome";
			}
		},

		/**
		 * The tool name, under the key Spring AI uses for its tool observations.
		 */
		TOOL_NAME {
			@Override
			public String asString() {
				return "spring.ai.tool.definition.name";
			}
		},

		/**
		 * The Runlayer tool type ({@code function}, {@code mcp}, {@code shell}...; {@code none} when not set).
		 */
		TOOL_TYPE {
			@Override
			public String asString() {
				return "runlayer.tool.type";
			}
		}

	}

}
