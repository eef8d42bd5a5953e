package com.runlayer.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.sdk.observe.RunlayerObserver;

/** Keeps every decision record the client reports. */
final class RecordingObserver implements RunlayerObserver {

	final List<RunlayerDecision> decisions = new CopyOnWriteArrayList<>();

	@Override
	public void decided(RunlayerDecision decision) {
		this.decisions.add(decision);
	}

}
