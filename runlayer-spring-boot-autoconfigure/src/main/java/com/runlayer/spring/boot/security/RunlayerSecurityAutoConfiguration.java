package com.runlayer.spring.boot.security;

import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Security on the classpath and {@code runlayer.agent-subject.source=security-context}: a
 * {@link SecurityContextSubjectResolver} gives each Runlayer call the current user as its subject (unless the
 * application declares its own {@link RunlayerSubjectResolver}). Without Spring Security nothing changes.
 */
@AutoConfiguration(before = RunlayerAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
@ConditionalOnBooleanProperty(name = "runlayer.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "runlayer.agent-subject.source", havingValue = "security-context")
@EnableConfigurationProperties(RunlayerProperties.class)
public final class RunlayerSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(RunlayerSubjectResolver.class)
	SecurityContextSubjectResolver runlayerSecurityContextSubjectResolver(RunlayerProperties properties) {
		return new SecurityContextSubjectResolver(properties.agentSubject().principalNameType());
	}

}
