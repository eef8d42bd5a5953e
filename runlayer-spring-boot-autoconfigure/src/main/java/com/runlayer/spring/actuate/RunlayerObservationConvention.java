package com.runlayer.spring.actuate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention that names the {@link RunlayerObservationDocumentation#ENFORCEMENT enforcement} observation and
 * its key values. Define a bean of this type to replace {@link DefaultRunlayerObservationConvention} (extend it to
 * change one key only).
 */
public interface RunlayerObservationConvention extends ObservationConvention<RunlayerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RunlayerObservationContext;
	}

}
