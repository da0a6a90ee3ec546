package io.github.webpysession.autoconfigure;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.shelf.ShelfSessionStore;
import org.h2.mvstore.MVStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MVStore.class)
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnProperty(name = "session.store", havingValue = "shelf")
class ShelfStoreConfiguration {

	@Bean(destroyMethod = "close")
	ShelfSessionStore sessionStore(SessionProperties properties) {
		return new ShelfSessionStore(properties.getShelf().getFile());
	}

}
