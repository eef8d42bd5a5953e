package com.runlayer.sdk;

/**
 * Thrown when the SDK is configured wrongly: a missing or invalid setting, or settings that cannot be combined.
 *
 * <p>The message names the Spring property and the environment variable to set, never a secret value.
 */
public class RunlayerConfigurationException extends RunlayerException {

	private static final long serialVersionUID = 1L;

	/** The setting that is wrong, when one is known. */
	private final RunlayerSetting setting;

	/**
	 * Creates a configuration exception about one setting.
	 * @param setting the setting at fault, or {@code null} when the problem is not tied to one setting
	 * @param problem what is wrong and how to fix it
	 */
	public RunlayerConfigurationException(RunlayerSetting setting, String problem) {
		super((setting != null) ? problem + " (" + setting.describe() + ")" : problem);
		this.setting = setting;
	}

	/**
	 * The setting at fault.
	 * @return the setting, or {@code null} when the problem is not tied to one setting
	 */
	public RunlayerSetting setting() {
		return this.setting;
	}

}
