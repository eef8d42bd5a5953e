package com.runlayer.spring.boot.reliability;

import java.util.Map;
import java.util.stream.Stream;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.spring.boot.RunlayerProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A base URL with credentials in its userinfo ({@code https://user:password@host}) is refused when the client is
 * built, and no {@code toString()} or configuration error prints the userinfo before that.
 */
class UserInfoToStringTests {

	static Stream<String> urls() {
		return Stream.of("https://alice:Sup3r-s3cret@tenant.runlayer.com", "https://alice:Sup3r-s3cret@tenant.runlayer.com/",
				"https://Sup3r-s3cret@tenant.runlayer.com/base?x=1", "https://alice:Sup3r@s3cret@tenant.runlayer.com/",
				"http://alice:Sup3r-s3cret@localhost:8080", "alice:Sup3r-s3cret@tenant.runlayer.com",
				"https://alice:Sup3r/s3cret@tenant.runlayer.com/");
	}

	@ParameterizedTest
	@MethodSource("urls")
	void theBuildersToStringHidesTheUserInfo(String url) {
		RunlayerClient.Builder builder = RunlayerClient.builder().baseUrl(url).apiKey("rl_key_0123456789");
		assertThat(builder.toString()).doesNotContain("Sup3r").doesNotContain("s3cret").doesNotContain("alice");
		assertThatExceptionOfType(RunlayerConfigurationException.class).isThrownBy(builder::build)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("Sup3r").doesNotContain("s3cret"));
	}

	@ParameterizedTest
	@MethodSource("urls")
	void thePropertiesToStringHidesTheUserInfo(String url) {
		RunlayerProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("runlayer.base-url", url)))
			.bindOrCreate("runlayer", RunlayerProperties.class);
		assertThat(properties.baseUrl()).isEqualTo(url);
		assertThat(properties.toString()).doesNotContain("Sup3r").doesNotContain("s3cret").doesNotContain("alice");
	}

}
