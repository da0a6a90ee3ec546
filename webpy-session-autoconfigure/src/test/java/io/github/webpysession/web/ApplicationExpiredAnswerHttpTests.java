package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.webpysession.SessionExpiredException;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own {@code @ExceptionHandler} for {@link SessionExpiredException}
 * takes precedence over the starter's web.py-like answer.
 */
@SpringBootTest(classes = { TestApplication.class, ApplicationExpiredAnswerHttpTests.LoginAgain.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "session.timeout=60", "session.ignore-expiry=false" })
class ApplicationExpiredAnswerHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Test
	void theApplicationsExceptionHandlerAnswersAnExpiredSession() {
		HttpClientWithCookies client = new HttpClientWithCookies(this.port);
		client.get("/count");
		this.clock.advance(Duration.ofSeconds(61));

		HttpResponse<String> response = client.get("/count");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo("please log in again");
	}

	@TestConfiguration(proxyBeanMethods = false)
	@RestControllerAdvice
	static class LoginAgain {

		@ExceptionHandler
		ResponseEntity<String> expired(SessionExpiredException ex) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body("please log in again");
		}

	}

}
