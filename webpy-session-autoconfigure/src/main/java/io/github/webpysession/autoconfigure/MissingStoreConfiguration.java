package io.github.webpysession.autoconfigure;

import io.github.webpysession.store.SessionStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Imported after every store's configuration: when none of them made a store, it fails
 * startup with the reason, instead of a bare "no SessionStore bean". Binding
 * {@link SessionProperties} first also reports a {@code session.store} value that names
 * no store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(SessionStore.class)
class MissingStoreConfiguration {

	@Bean
	SessionStore sessionStore(SessionProperties properties) {
		throw new IllegalStateException("No session store for session.store="
				+ properties.getStore().name().toLowerCase() + ": " + switch (properties.getStore()) {
					case JDBC -> "it keeps sessions in the application's DataSource, and this application has no"
							+ " Spring Boot JDBC support: " + JdbcStoreConfiguration.HOW_TO_ADD_A_DATA_SOURCE;
					case REDIS -> "it keeps sessions in Redis through Spring Boot's connection, and this application"
							+ " has no Spring Boot Redis support: " + RedisStoreConfiguration.HOW_TO_ADD_REDIS;
					case SHELF ->
						"it needs H2's MVStore (com.h2database:h2-mvstore), which webpy-session-starter brings";
					default -> "its configuration did not apply";
				});
	}

}
