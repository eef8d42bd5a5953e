package com.runlayer.sample.security;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's API users: HTTP basic with the users of {@code sample.users} (two demo users in the {@code local}
 * profile). A request with their credentials acts for that user: with {@code runlayer.agent-subject.source} set to
 * {@code security-context}, its tool calls reach Runlayer with that user as the subject. Requests without
 * credentials are still served, as the agent itself, so the quick start's plain {@code curl} keeps working; wrong
 * credentials are refused (401).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SampleSecurityConfiguration.SampleUsers.class)
public class SampleSecurityConfiguration {

	@Bean
	SecurityFilterChain sampleApi(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	@Bean
	InMemoryUserDetailsManager sampleUserDetails(SampleUsers users) {
		InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
		users.users().forEach((name, password) -> manager
			.createUser(User.withUsername(name).password(password).roles("USER").build()));
		return manager;
	}

	/**
	 * The API users.
	 *
	 * @param users user name to password (with its encoding prefix, e.g. {@code {noop}alice})
	 */
	@ConfigurationProperties("sample")
	public record SampleUsers(Map<String, String> users) {

		/**
		 * Replaces null with no users.
		 */
		public SampleUsers {
			users = (users != null) ? Map.copyOf(users) : Map.of();
		}

	}

}
