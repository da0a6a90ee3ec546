package io.github.webpysession.web;

import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What tests of {@link TestApplication} on the memory store over real HTTP share: a new
 * cookie-keeping client per test, the store to look into, and the clock to move. A
 * subclass adds its own properties with {@code @TestPropertySource}.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "session.store=memory")
abstract class MemoryStoreHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	MemorySessionStore store;

	HttpClientWithCookies client;

	@BeforeEach
	void newClient() {
		this.client = new HttpClientWithCookies(this.port);
	}

}
