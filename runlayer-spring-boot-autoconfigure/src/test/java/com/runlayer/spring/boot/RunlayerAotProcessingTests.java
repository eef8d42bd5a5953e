package com.runlayer.spring.boot;

import java.util.Map;

import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's ahead-of-time processing (what a native image build runs) of a context with the Runlayer
 * auto-configuration and a {@code @RunlayerTool} bean: it completes, the class proxy of the tool bean is generated at
 * build time, and the starter's hints are contributed.
 */
class RunlayerAotProcessingTests {

	@Test
	void aotProcessingGeneratesTheToolBeansProxyAndTheHints() {
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), files);
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test", Map.of("runlayer.base-url", "https://tenant.runlayer.com",
						"runlayer.api-key", "rl_test_key")));
			context.register(AopAutoConfiguration.class, RunlayerAutoConfiguration.class,
					RunlayerAopAutoConfiguration.class);
			context.registerBean("aotTools", AotOnlyTools.class);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		}
		assertThat(files.getGeneratedFiles(Kind.CLASS).keySet())
			.anyMatch((name) -> name.contains("AotOnlyTools$$SpringCGLIB$$"));
		assertThat(RuntimeHintsPredicates.reflection().onType(AotOnlyTools.class)).accepts(generation.getRuntimeHints());
		assertThat(RuntimeHintsPredicates.resource().forResource(RunlayerRuntimeHints.SDK_PROPERTIES))
			.accepts(generation.getRuntimeHints());
	}

	/**
	 * A tool bean used by this test only: CGLIB generates a class once per JVM, and the AOT processing only captures
	 * classes it generates itself.
	 */
	public static class AotOnlyTools {

		@RunlayerTool(name = "aot_lookup")
		public String lookup(String id, @RunlayerSessionId String session) {
			return id;
		}

	}

}
