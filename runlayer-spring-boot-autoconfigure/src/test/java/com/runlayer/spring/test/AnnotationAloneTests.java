package com.runlayer.spring.test;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.spring.test.AgentFixtures.TicketDesk;
import com.runlayer.spring.test.AgentFixtures.ToolApp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An application with no Runlayer setting at all starts in a test with the annotation alone, and its tools are
 * enforced against the test server.
 */
@SpringBootTest(classes = ToolApp.class)
@AutoConfigureRunlayer
class AnnotationAloneTests {

	@Autowired
	RunlayerTestServer runlayer;

	@Autowired
	TicketDesk desk;

	@Test
	void annotationAloneConfiguresTheClient() {
		assertThat(this.desk.lookupTicket("T-1", "s1")).containsEntry("id", "T-1");
		assertThat(this.runlayer).receivedPreTool("lookup_ticket").withSessionId("s1").once();
		assertThat(this.runlayer).receivedPostTool("lookup_ticket").withOutputContaining("open").once();

		this.runlayer.onPostTool("lookup_ticket").block("ticket data is private");
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> this.desk.lookupTicket("T-2", "s1"))
			.withMessageContaining("ticket data is private");
	}

}
