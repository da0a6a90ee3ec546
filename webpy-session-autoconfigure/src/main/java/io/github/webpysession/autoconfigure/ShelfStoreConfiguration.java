package io.github.webpysession.autoconfigure;

import io.github.webpysession.store.SessionStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;

// TODO(shelf issue): the ShelfSessionStore bean
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnProperty(name = "session.store", havingValue = "shelf")
class ShelfStoreConfiguration {

}
