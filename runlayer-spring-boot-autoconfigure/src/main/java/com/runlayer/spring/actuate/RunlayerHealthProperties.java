package com.runlayer.spring.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the {@code runlayer} health contributor, bound from {@code management.health.runlayer.*}
 * ({@code management.health.runlayer.enabled=false} switches the contributor off).
 *
 * @param outageThreshold number of consecutive enforcement outages after which the contributor reports
 * {@code outageStatus}; one successful enforcement call resets the count
 * @param outageStatus the status reported after the threshold: down, or out-of-service (use it when Runlayer outages
 * should not fail the application's overall health)
 */
@ConfigurationProperties(RunlayerHealthProperties.PREFIX)
public record RunlayerHealthProperties(@DefaultValue("3") int outageThreshold,
		@DefaultValue("down") OutageStatus outageStatus) {

	/** The property prefix. */
	public static final String PREFIX = "management.health.runlayer";

	/**
	 * Rejects a threshold below 1.
	 * @param outageThreshold number of consecutive enforcement outages after which the contributor reports {@code outageStatus}; one successful enforcement call resets the count
	 * @param outageStatus the status reported after the threshold: down, or out-of-service (use it when Runlayer outages should not fail the application's overall health)
	 */
	public RunlayerHealthProperties {
		if (outageThreshold < 1) {
			throw new IllegalArgumentException(PREFIX + ".outage-threshold must be at least 1, got " + outageThreshold);
		}
	}

	/** The status reported once the outage threshold is reached. */
	public enum OutageStatus {

		/** {@code DOWN}. */
		DOWN,

		/** {@code OUT_OF_SERVICE}. */
		OUT_OF_SERVICE

	}

}
