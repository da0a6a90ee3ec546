package io.github.webpysession.autoconfigure;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.memory.MemorySessionStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnProperty(name = "session.store", havingValue = "memory")
class MemoryStoreConfiguration {

	@Bean
	MemorySessionStore sessionStore() {
		return new MemorySessionStore();
	}

}
