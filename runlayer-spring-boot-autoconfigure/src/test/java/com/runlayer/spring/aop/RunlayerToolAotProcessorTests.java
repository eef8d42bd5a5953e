package com.runlayer.spring.aop;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native image hints for the application's {@code @RunlayerTool} beans: the tool methods can be introspected
 * (parameter names), their parameter and return types (through generics and futures) can be bound by Jackson, and a
 * JDK proxy of the bean's interfaces can be created.
 */
class RunlayerToolAotProcessorTests {

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	@Test
	void isRegisteredInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(BeanRegistrationAotProcessor.class)).hasAtLeastOneElementOfType(RunlayerToolAotProcessor.class);
	}

	@Test
	void toolMethodsCanBeIntrospectedForTheirParameterNames() throws Exception {
		RuntimeHints hints = process(TradingTools.class);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethod(TradingTools.class.getMethod("quote", String.class, String.class))
			.introspect()).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethod(TradingTools.class.getMethod("place", Order.class, String.class))
			.introspect()).accepts(hints);
	}

	@Test
	void parameterAndReturnTypesCanBeBoundByJacksonThroughGenericsAndFutures() {
		RuntimeHints hints = process(TradingTools.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Quote.class, "price")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "lines")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderLine.class, "sku")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "orderId")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Unrelated.class)).rejects(hints);
	}

	@Test
	void aJdkProxyOfTheBeansInterfacesIsRegistered() {
		RuntimeHints hints = process(TradingTools.class);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(AopProxyUtils.completeJdkProxyInterfaces(Trading.class)))
			.accepts(hints);
	}

	@Test
	void classLevelAnnotationCoversThePublicMethods() throws Exception {
		RuntimeHints hints = process(TestTools.ShellTools.class);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethod(TestTools.ShellTools.class.getMethod("run", String.class, String.class))
			.introspect()).accepts(hints);
	}

	@Test
	void beansWithoutToolMethodsContributeNothing() {
		this.beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(Unrelated.class));
		assertThat(new RunlayerToolAotProcessor().processAheadOfTime(RegisteredBean.of(this.beanFactory, "plain")))
			.isNull();
	}

	private RuntimeHints process(Class<?> beanClass) {
		this.beanFactory.registerBeanDefinition("tools", new RootBeanDefinition(beanClass));
		BeanRegistrationAotContribution contribution = new RunlayerToolAotProcessor()
			.processAheadOfTime(RegisteredBean.of(this.beanFactory, "tools"));
		assertThat(contribution).isNotNull();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		contribution.applyTo(generation, null);
		return generation.getRuntimeHints();
	}

	public record Quote(String symbol, BigDecimal price) {
	}

	public record OrderLine(String sku, int quantity) {
	}

	public record Order(String id, List<OrderLine> lines) {
	}

	public record Receipt(String orderId, boolean accepted) {
	}

	public record Unrelated(String value) {
	}

	public interface Trading {

		Quote quote(String symbol, String session);

	}

	public static class TradingTools implements Trading {

		@Override
		@RunlayerTool(name = "quote")
		public Quote quote(String symbol, @RunlayerSessionId String session) {
			return new Quote(symbol, BigDecimal.ONE);
		}

		@RunlayerTool(name = "place_order")
		public CompletableFuture<Receipt> place(Order order, @RunlayerSessionId String session) {
			return CompletableFuture.completedFuture(new Receipt(order.id(), true));
		}

		public Unrelated notATool(Unrelated value) {
			return value;
		}

	}

}
