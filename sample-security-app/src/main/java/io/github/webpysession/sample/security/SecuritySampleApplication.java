package io.github.webpysession.sample.security;

import java.util.Arrays;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
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

	/**
	 * A new {@code User} at every lookup: Security erases the credentials of the one a
	 * login used, and remember-me signs its cookie with the password it then looks up,
	 * which must be the same on every instance.
	 */
	@Bean
	UserDetailsService users() {
		return (name) -> {
			if (!Arrays.asList(USERS).contains(name)) {
				throw new UsernameNotFoundException(name);
			}
			return User.withUsername(name).password("{noop}" + name).roles("USER").build();
		};
	}

	public static void main(String[] args) {
		SpringApplication.run(SecuritySampleApplication.class, args);
	}

}
