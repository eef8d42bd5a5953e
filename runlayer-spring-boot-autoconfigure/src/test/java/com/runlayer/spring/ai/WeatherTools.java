package com.runlayer.spring.ai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** A {@code @Tool} bean that records what it was called with. */
class WeatherTools {

	final List<String> calls = new CopyOnWriteArrayList<>();

	volatile RuntimeException failure;

	@Tool(description = "Current weather of a city")
	String weather(@ToolParam(description = "the city") String city) {
		this.calls.add(city);
		if (this.failure != null) {
			throw this.failure;
		}
		return "sunny in " + city;
	}

}
