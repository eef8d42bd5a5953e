package com.runlayer.spring.ai;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.spring.boot.RunlayerMetricsAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring AI, the Runlayer enforcement observations of a tool call go to the application's
 * {@link ObservationRegistry} and nest under Spring AI's {@code spring.ai.tool} observation of that call: as
 * observations (parent context) and as trace spans (parent span id, same trace).
 */
class RunlayerSpringAiObservationTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SimpleTracer tracer = new SimpleTracer();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final WeatherTools tools = new WeatherTools();

	@Test
	void enforcementObservationsNestUnderSpringAisToolObservation() {
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		this.observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
		SpringAiTestApp.runner(wm.baseUrl(), new ScriptedChatModel(), RunlayerMetricsAutoConfiguration.class)
			.withBean(ObservationRegistry.class, () -> this.observations)
			.run((context) -> SpringAiTestApp.ask(context, "What is the weather in Paris?", this.tools, "conv-1"));
		assertThat(this.tools.calls).containsExactly("Paris");

		assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("runlayer.enforcement", 2)
			.hasHandledContextsThatSatisfy((contexts) -> {
				List<Observation.Context> enforcement = contexts.stream()
					.filter((c) -> c.getName().equals("runlayer.enforcement"))
					.toList();
				assertThat(enforcement).hasSize(2).allSatisfy((c) -> {
					assertThat(c.getParentObservation()).isNotNull();
					assertThat(c.getParentObservation().getContextView().getName()).isEqualTo("spring.ai.tool");
					assertThat(c.getLowCardinalityKeyValue("spring.ai.tool.definition.name").getValue())
						.isEqualTo("weather");
					assertThat(c.getLowCardinalityKeyValue("runlayer.decision").getValue()).isEqualTo("allow");
					assertThat(c.getLowCardinalityKeyValue("runlayer.outcome").getValue()).isEqualTo("allowed");
				});
			});

		List<SimpleSpan> spans = List.copyOf(this.tracer.getSpans());
		SimpleSpan toolSpan = spans.stream()
			.filter((span) -> "weather".equals(span.getTags().get("spring.ai.tool.definition.name"))
					&& !span.getTags().containsKey("runlayer.stage"))
			.findFirst()
			.orElseThrow();
		List<SimpleSpan> runlayerSpans = spans.stream()
			.filter((span) -> span.getTags().containsKey("runlayer.stage"))
			.toList();
		assertThat(runlayerSpans).extracting((span) -> span.getTags().get("runlayer.stage"))
			.containsExactly("pre_tool", "post_tool");
		assertThat(runlayerSpans).allSatisfy((span) -> {
			assertThat(span.getParentId()).isEqualTo(toolSpan.getSpanId());
			assertThat(span.getTraceId()).isEqualTo(toolSpan.getTraceId());
		});
		assertThat(runlayerSpans).extracting(SimpleSpan::getName)
			.containsExactly("runlayer pre_tool weather", "runlayer post_tool weather");
	}

}
