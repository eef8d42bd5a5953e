package com.runlayer.sample;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small Spring AI agent service under Runlayer enforcement. {@code POST /chat} answers prompts with a
 * {@code ChatClient} and three tools; {@code --demo} plays a scripted conversation, prints each Runlayer decision and
 * exits. Offline by default (profile {@code local}): an in-process demo Runlayer and a scripted model.
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Starts the service, or plays the demo with {@code --demo}.
	 * @param args the command line
	 */
	public static void main(String[] args) {
		if (Arrays.asList(args).contains("--demo")) {
			System.exit(runDemo(args));
		}
		SpringApplication.run(SampleApplication.class, args);
	}

	/**
	 * Plays the demo conversation without a web server.
	 * @param args the command line
	 * @return the exit code: 0 when every turn of the conversation was played, 1 when one failed (e.g. Runlayer
	 * could not be reached)
	 */
	public static int runDemo(String... args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.run(args);
		int code;
		try {
			code = (context.getBean(DemoConversation.class).play(System.out).failed() == 0) ? 0 : 1;
		}
		catch (RuntimeException ex) {
			System.err.println("Demo failed: " + ex.getMessage());
			code = 1;
		}
		int exit = code;
		return SpringApplication.exit(context, () -> exit);
	}

}
