package io.github.webpysession.sample;

import io.github.webpysession.SessionInitializer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * web.py's two session examples, ported: login/logout and count/reset.
 */
@SpringBootApplication
public class SampleApplication {

	/** web.py's {@code initializer={'count': 0}}. */
	@Bean
	SessionInitializer countStartsAtZero() {
		return (session) -> session.put("count", 0);
	}

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
