package io.github.webpysession.autoconfigure;

import io.github.webpysession.serializer.AllowedClasses;
import io.github.webpysession.web.SessionCookie;
import io.github.webpysession.web.SessionExceptionResolver;
import io.github.webpysession.web.SessionFilter;
import io.github.webpysession.web.SessionFlashMapManager;
import io.github.webpysession.web.SessionLifecycle;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.FlashMapManager;

/**
 * With {@code session.http-session} (the default): {@code request.getSession()} is the
 * starter's session everywhere, through a filter ahead of every other, and Spring MVC's
 * flash attributes live in it too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "session.http-session", matchIfMissing = true)
class HttpSessionConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "sessionFilterRegistration")
	FilterRegistrationBean<SessionFilter> sessionFilterRegistration(SessionLifecycle lifecycle,
			SessionExceptionResolver failures, SessionProperties properties) {
		FilterRegistrationBean<SessionFilter> registration = new FilterRegistrationBean<>(
				new SessionFilter(lifecycle, failures, properties.getTimeout()));
		registration.setOrder(SessionFilter.DEFAULT_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	/**
	 * Replaces Spring MVC's, which would read the store for every request that carries a
	 * cookie.
	 */
	@Bean(name = DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
	@ConditionalOnMissingBean(name = DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
	FlashMapManager flashMapManager(SessionCookie cookie) {
		return new SessionFlashMapManager(cookie.settings());
	}

	@Bean
	AllowedClasses flashAttributeClasses() {
		return AllowedClasses.of("org.springframework.web.servlet.FlashMap",
				"org.springframework.util.LinkedMultiValueMap", "org.springframework.util.MultiValueMapAdapter");
	}

}
