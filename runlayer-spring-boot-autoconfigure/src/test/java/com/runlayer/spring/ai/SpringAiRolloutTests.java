package com.runlayer.spring.ai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerPayloadRedactor;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.spring.boot.RunlayerDecisionEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.spring.ai.SpringAiTestApp.EVENTS;
import static com.runlayer.spring.ai.SpringAiTestApp.POST;
import static com.runlayer.spring.ai.SpringAiTestApp.PRE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling out on the Spring AI path, through the auto-configured {@code ChatClient}, a scripted model and a WireMock
 * Runlayer: monitor mode (globally and per tool), decision events, the advisor switch and the prompt switches.
 */
class SpringAiRolloutTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ScriptedChatModel model = new ScriptedChatModel();

	private final WeatherTools tools = new WeatherTools();

	static final class Decisions implements ApplicationListener<RunlayerDecisionEvent> {

		final List<RunlayerDecision> all = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(RunlayerDecisionEvent event) {
			this.all.add(event.decision());
		}

	}

	private ApplicationContextRunner runner() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		return SpringAiTestApp.runner(wm.baseUrl(), this.model).withBean(Decisions.class);
	}

	private String ask(ApplicationContext context) {
		return SpringAiTestApp.ask(context, "What is the weather in Paris? My card is 4111-1111", this.tools,
				"conv-7");
	}

	private static void denyAndMask() {
		wm.stubFor(post(PRE).willReturn(
				okJson("{\"permission\":\"allow\",\"modified_args\":{\"city\":\"Lyon\"}}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"[masked]\"}")));
	}

	@Test
	void monitorModeAppliesNothingOnTheSpringAiPathAndPublishesEachDecision() {
		denyAndMask();
		runner().withPropertyValues("runlayer.mode=monitor").run((context) -> {
			assertThat(ask(context)).isEqualTo("Answer: \"sunny in Paris\"");
			assertThat(this.tools.calls).containsExactly("Paris");
			List<RunlayerDecision> decisions = context.getBean(Decisions.class).all;
			assertThat(decisions).extracting(RunlayerDecision::decision)
				.containsExactly(EnforcementDecision.REWRITE, EnforcementDecision.MASK);
			assertThat(decisions).allSatisfy((d) -> {
				assertThat(d.applied()).isFalse();
				assertThat(d.sessionId()).isEqualTo("conv-7");
				assertThat(d.toolName()).isEqualTo("weather");
				assertThat(d.toolUseId()).isNotBlank();
			});
			assertThat(decisions.get(1).stage()).isEqualTo(EnforcementStage.POST_TOOL);
		});
		wm.verify(1, postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.city", equalTo("Paris"))));
		wm.verify(1, postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("\"sunny in Paris\""))));
	}

	@Test
	void perToolMonitorModeOnTheSpringAiPath() {
		denyAndMask();
		runner().withPropertyValues("runlayer.tools.weather.mode=monitor").run((context) -> {
			assertThat(ask(context)).isEqualTo("Answer: \"sunny in Paris\"");
			assertThat(this.tools.calls).containsExactly("Paris");
		});
	}

	@Test
	void enforceModeStillAppliesOnTheSpringAiPath() {
		denyAndMask();
		runner().run((context) -> {
			assertThat(ask(context)).contains("[masked]");
			assertThat(this.tools.calls).containsExactly("Lyon");
			assertThat(context.getBean(Decisions.class).all).allSatisfy((d) -> assertThat(d.applied()).isTrue());
		});
	}

	@Test
	void advisorCanBeLeftOffWhileToolsStayEnforced() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no weather\"}")));
		runner().withPropertyValues("runlayer.spring-ai.advisor.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean("runlayerChatClientCustomizer");
			assertThat(context.getBeansOfType(ChatClientCustomizer.class)).isEmpty();
			// without the advisor the session id comes from the application
			RunlayerSession.call("conv-7", () -> ask(context));
			assertThat(this.tools.calls).isEmpty();
		});
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
		wm.verify(0, postRequestedFor(urlEqualTo(EVENTS)));
	}

	@Test
	void promptTextIsSentByDefault() {
		denyAndMask();
		runner().run(this::ask);
		wm.verify(1, postRequestedFor(urlEqualTo(EVENTS))
			.withRequestBody(matchingJsonPath("$.event_name", equalTo("UserPromptSubmit")))
			.withRequestBody(matchingJsonPath("$.payload.prompt",
					equalTo("What is the weather in Paris? My card is 4111-1111"))));
	}

	@Test
	void promptsOffSendsAnEmptyPrompt() {
		denyAndMask();
		runner().withPropertyValues("runlayer.telemetry.prompts=false").run(this::ask);
		wm.verify(1, postRequestedFor(urlEqualTo(EVENTS))
			.withRequestBody(matchingJsonPath("$.event_name", equalTo("UserPromptSubmit")))
			.withRequestBody(matchingJsonPath("$.payload.prompt", equalTo(""))));
	}

	@Test
	void redactorBeanChangesThePromptSent() {
		denyAndMask();
		RunlayerPayloadRedactor redactor = new RunlayerPayloadRedactor() {
			@Override
			public String redactPrompt(String sessionId, String prompt) {
				return prompt.replaceAll("\\d{4}-\\d{4}", "****");
			}
		};
		runner().withBean(RunlayerPayloadRedactor.class, () -> redactor).run(this::ask);
		wm.verify(1, postRequestedFor(urlEqualTo(EVENTS))
			.withRequestBody(matchingJsonPath("$.event_name", equalTo("UserPromptSubmit")))
			.withRequestBody(matchingJsonPath("$.payload.prompt",
					equalTo("What is the weather in Paris? My card is ****"))));
	}

}
