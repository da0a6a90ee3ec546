package io.github.webpysession.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmarked application: {@code /plain}, {@code /read} and {@code /count}, with the
 * session implementation chosen at startup by a Spring profile (see
 * {@code application.yml}): {@code webpy} (with {@code --session.store=...}),
 * {@code spring-jdbc}, {@code spring-redis} or {@code tomcat}.
 */
@SpringBootApplication
public class BenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchApplication.class, args);
	}

}
