package com.runlayer.spring.test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The test server runs without test libraries (the sample's offline demo runs it from a plain {@code java -jar}): only
 * the annotation's Spring glue, the JUnit extension and the AssertJ assertions may use spring-test, JUnit or AssertJ.
 */
class TestSupportDependenciesTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("com.runlayer.spring.test");

	@Test
	void serverNeedsNoTestLibrary() {
		noClasses().that()
			.resideInAPackage("com.runlayer.spring.test")
			.and()
			.haveSimpleNameNotStartingWith("RunlayerTestContextCustomizer")
			.and()
			.doNotHaveSimpleName("RunlayerTestExecutionListener")
			.and()
			.haveSimpleNameNotStartingWith("RunlayerTestExtension")
			.and()
			.haveSimpleNameNotEndingWith("Assert")
			.and()
			.doNotHaveSimpleName("RunlayerAssertions")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.assertj..", "org.junit..", "org.springframework.test..",
					"org.springframework.boot.test..", "org.springframework..")
			.check(classes);
	}

}
