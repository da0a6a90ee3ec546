package io.github.webpysession.sample.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security's form login, kept in the starter's session: nothing session-specific
 * to configure. The login survives restarts (disk store) and is shared by instances on
 * one JDBC table; each user's page lists that user's sessions, with a button to log the
 * others out.
 */
@SpringBootApplication
public class SecuritySampleApplication {

	/**
	 * The sample's users: a password equal to the name, fine for a sample and nothing
	 * else.
	 */
	static final String[] USERS = { "alice", "bob", "carol" };

	@Bean
	SecurityFilterChain security(HttpSecurity http, @Value("${sample.remember-me-key}") String rememberMeKey)
			throws Exception {
		return http
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.rememberMe((rememberMe) -> rememberMe.key(rememberMeKey))
			.logout(Customizer.withDefaults())
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
		for (String name : USERS) {
			users.createUser(User.withUsername(name).password("{noop}" + name).roles("USER").build());
		}
		return users;
	}

	public static void main(String[] args) {
		SpringApplication.run(SecuritySampleApplication.class, args);
	}

}
