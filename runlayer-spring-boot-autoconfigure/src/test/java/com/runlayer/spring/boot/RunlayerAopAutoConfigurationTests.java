package com.runlayer.spring.boot;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.spring.aop.RunlayerTool;
import com.runlayer.spring.aop.RunlayerToolAdvisor;
import com.runlayer.spring.aop.RunlayerToolStartupCheck;
import com.runlayer.spring.aop.TestTools;
import com.runlayer.spring.aop.TestTools.TicketTools;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aop.aspectj.annotation.AnnotationAwareAspectJAutoProxyCreator;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.Ordered;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wiring of {@link RunlayerAopAutoConfiguration}: when the advisor exists, its order, the auto-proxy creator, and the
 * startup check.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunlayerAopAutoConfigurationTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RunlayerAutoConfiguration.class,
				RunlayerAopAutoConfiguration.class))
		.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_test_key",
				"runlayer.allow-insecure-transport=true");

	@Test
	void advisorAndStartupCheckExistWhenThereIsAClient() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RunlayerToolAdvisor.class).hasSingleBean(RunlayerToolStartupCheck.class);
			assertThat(context.getBean(RunlayerToolAdvisor.class).getOrder())
				.isEqualTo(Ordered.LOWEST_PRECEDENCE - 1000)
				.isEqualTo(RunlayerToolAdvisor.DEFAULT_ORDER);
		});
	}

	@Test
	void advisorOrderComesFromTheProperty() {
		this.runner.withPropertyValues("runlayer.aop.order=42")
			.run((context) -> assertThat(context.getBean(RunlayerToolAdvisor.class).getOrder()).isEqualTo(42));
	}

	@Test
	void noAdvisorWhenRunlayerIsDisabled() {
		this.runner.withPropertyValues("runlayer.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RunlayerToolAdvisor.class)
				.doesNotHaveBean(RunlayerToolStartupCheck.class));
	}

	@Test
	void noAutoProxyCreatorIsRegisteredWhenRunlayerIsDisabled() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class))
			.withPropertyValues("runlayer.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME));
	}

	@Test
	void userDefinedClientIsEnoughForTheAdvisor() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RunlayerAopAutoConfiguration.class))
			.withBean(RunlayerClient.class,
					() -> RunlayerClient.builder().baseUrl("https://tenant.runlayer.com").apiKey("rl_test_key").build())
			.run((context) -> assertThat(context).hasSingleBean(RunlayerToolAdvisor.class));
	}

	@Test
	void springBootsAspectJAutoProxyCreatorAppliesTheAdvisorWhenTheWeaverIsPresent() {
		this.runner.run((context) -> assertThat(context.getBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME))
			.isInstanceOf(AnnotationAwareAspectJAutoProxyCreator.class));
	}

	@Test
	void infrastructureAutoProxyCreatorAppliesTheAdvisorWithoutTheWeaver() {
		this.runner.withClassLoader(new FilteredClassLoader("org.aspectj"))
			.run((context) -> assertThat(context.getBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME))
				.isExactlyInstanceOf(InfrastructureAdvisorAutoProxyCreator.class));
	}

	@Test
	void autoProxyCreatorIsRegisteredWhenTheApplicationHasNone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class))
			.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_test_key",
					"runlayer.allow-insecure-transport=true")
			.run((context) -> assertThat(context.getBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME))
				.isInstanceOf(InfrastructureAdvisorAutoProxyCreator.class));
	}

	@Test
	void deniedCallNeverEntersAdvisorsOrderedInsideRunlayerSuchAsTransactions() {
		wm.stubFor(post(urlEqualTo("/api/v1/hooks/tool/pre"))
			.willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		AtomicInteger transactions = new AtomicInteger();
		MethodInterceptor transactionLike = (invocation) -> {
			transactions.incrementAndGet();
			return invocation.proceed();
		};
		DefaultPointcutAdvisor inner = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, RunlayerTool.class, true), transactionLike);
		// @Transactional's advisor has this order by default
		inner.setOrder(Ordered.LOWEST_PRECEDENCE);
		this.runner.withBean(TicketTools.class).withBean("transactionLikeAdvisor", DefaultPointcutAdvisor.class, () -> inner)
			.run((context) -> {
				TicketTools tools = context.getBean(TicketTools.class);
				assertThatThrownBy(() -> tools.lookupTicket("T-1", "s-1")).isInstanceOf(RunlayerBlockedException.class);
				assertThat(transactions).hasValue(0);
			});
	}

	@Test
	void toolMethodThatCannotBeEnforcedFailsStartupNamingTheMethod() {
		this.runner.withBean(TestTools.TwoSessionIds.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(RunlayerException.class)
				.hasMessageContaining("TwoSessionIds.confused(String, String)")
				.hasMessageContaining("more than one parameter is annotated with @RunlayerSessionId"));
	}

	@Test
	void toolCompiledWithoutParameterNamesFailsStartupNamingTheMethod(@TempDir Path dir) throws Exception {
		Path source = dir.resolve("NoNames.java");
		Files.writeString(source, "public class NoNames {\n"
				+ "  @com.runlayer.spring.aop.RunlayerTool\n"
				+ "  public String find(String query, int limit) { return query; }\n" + "}\n");
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		int status = compiler.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
				dir.toString(), source.toString());
		assertThat(status).isZero();
		try (URLClassLoader loader = new URLClassLoader(new URL[] { dir.toUri().toURL() },
				getClass().getClassLoader())) {
			Class<?> noNames = loader.loadClass("NoNames");
			this.runner.withClassLoader(loader)
				.withBean("noNames", Object.class, () -> BeanUtils.instantiateClass(noNames))
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("NoNames.find(String, int)")
					.hasMessageContaining("-parameters"));
		}
	}

	@Test
	void fluxToolFailsStartup() {
		this.runner.withBean(TestTools.FluxTool.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("FluxTool.stream(String)")
				.hasMessageContaining("only Reactor Mono"));
	}

	@Test
	void startupLogsTheEnforcedToolsAndWarnsAboutMethodsThatEscapeEnforcement(CapturedOutput output) {
		this.runner.withBean("ticketTools", TicketTools.class)
			.withBean("hiddenTools", TestTools.HiddenTools.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsPattern("INFO .*Runlayer enforces \\d+ @RunlayerTool method\\(s\\): .*"
				+ "lookup_ticket \\(ticketTools\\.lookupTicket\\)")
			.contains("visible (hiddenTools.visible)")
			.containsPattern("WARN .*@RunlayerTool method .*HiddenTools\\.hidden\\(String\\) of bean 'hiddenTools'"
					+ " is NOT enforced: it is private")
			.containsPattern(
					"WARN .*HiddenTools\\.sealed\\(String\\) of bean 'hiddenTools' is NOT enforced: it is final")
			.doesNotContain("sealed (hiddenTools.sealed)");
	}

	@Test
	void enforcedToolMethodsAreRecordedInTheToolRegistryForTheActuatorEndpoint() {
		this.runner.withBean("ticketTools", TicketTools.class)
			.withBean("hiddenTools", TestTools.HiddenTools.class)
			.run((context) -> {
				java.util.List<RunlayerToolRegistry.Entry> tools = context.getBean(RunlayerToolRegistry.class).entries();
				assertThat(tools).filteredOn((entry) -> entry.toolName().equals("lookup_ticket"))
					.singleElement()
					.satisfies((entry) -> {
						assertThat(entry.source()).isEqualTo(RunlayerToolRegistry.BEAN);
						assertThat(entry.detail()).isEqualTo("ticketTools#lookupTicket");
					});
				assertThat(tools).extracting(RunlayerToolRegistry.Entry::toolName)
					.contains("visible")
					.doesNotContain("hidden", "sealed");
			});
	}

	@Test
	void interfaceProxyWarnsAboutToolMethodsNoInterfaceDeclares(CapturedOutput output) {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean("greeterWithExtra", GreeterWithExtra.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsPattern("WARN .*GreeterWithExtra\\.extra\\(String\\) of bean 'greeterWithExtra'"
				+ " is NOT enforced: the bean is a JDK interface proxy");
	}

	/** A tool bean with a tool method that its interface lacks. */
	public static class GreeterWithExtra implements TestTools.Greeter {

		@Override
		@RunlayerTool
		public String greet(String name, String session) {
			return name;
		}

		@RunlayerTool
		public String extra(@com.runlayer.spring.aop.RunlayerSessionId String session) {
			return "extra";
		}

	}

}
