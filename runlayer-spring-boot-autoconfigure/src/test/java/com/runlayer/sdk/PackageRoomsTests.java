package com.runlayer.sdk;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK core is framework-free: it may use spring-web's RestClient and Jackson, nothing of Spring Boot, Spring AOP,
 * Spring AI, Micrometer or the starter's own Spring packages.
 */
class PackageRoomsTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("com.runlayer");

	@Test
	void sdkImportsAreNotEmpty() {
		assertThat(classes.that(com.tngtech.archunit.base.DescribedPredicate.describe("in sdk",
				(c) -> c.getPackageName().startsWith("com.runlayer.sdk")))).hasSizeGreaterThan(20);
	}

	@Test
	void sdkDependsOnNoFrameworkIntegration() {
		ArchRule rule = noClasses().that()
			.resideInAPackage("com.runlayer.sdk..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot..", "org.springframework.aop..", "org.springframework.ai..",
					"com.runlayer.spring..", "io.micrometer..");
		rule.check(classes);
	}

}
