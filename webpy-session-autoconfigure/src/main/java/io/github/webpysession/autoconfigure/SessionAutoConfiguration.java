package io.github.webpysession.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.Session;
import io.github.webpysession.SessionInitializer;
import io.github.webpysession.event.SessionEventLog;
import io.github.webpysession.Sessions;
import io.github.webpysession.serializer.AllowedClasses;
import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.serializer.SessionSerializer;
import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreCleaner;
import io.github.webpysession.web.CurrentRequestSession;
import io.github.webpysession.web.SessionArgumentResolver;
import io.github.webpysession.web.SessionCookie;
import io.github.webpysession.web.SessionExceptionResolver;
import io.github.webpysession.web.SessionHooks;
import io.github.webpysession.web.SessionInterceptor;
import io.github.webpysession.web.SessionLifecycle;
import io.github.webpysession.web.SessionPolicy;
import io.github.webpysession.web.SessionPrincipalResolver;
import io.github.webpysession.web.SessionSavingAdvice;
import io.github.webpysession.web.SessionStorage;
import io.github.webpysession.web.StoreSessions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;

/**
 * Auto-configuration of web.py's sessions for a Spring MVC application: the store that
 * {@code session.store} names, the serializer, the request lifecycle and its Spring MVC
 * wiring. Every bean yields to one of the application's own.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" },
		beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SessionProperties.class)
@Import({ UnknownSessionPropertiesCheck.class, DiskStoreConfiguration.class, MemoryStoreConfiguration.class,
		JdbcStoreConfiguration.class, RedisStoreConfiguration.class, ShelfStoreConfiguration.class,
		MissingStoreConfiguration.class, HttpSessionConfiguration.class, SecurityIntegrationConfiguration.class })
public class SessionAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	SessionSerializer sessionSerializer(SessionProperties properties, ApplicationContext context,
			ObjectProvider<AllowedClasses> integrations) {
		List<String> allowed = new ArrayList<>(properties.getAllowedClasses());
		if (allowed.isEmpty()) {
			allowed.addAll(applicationPackages(context));
		}
		integrations.orderedStream().forEach((classes) -> allowed.addAll(classes.patterns()));
		ClassLoader classLoader = (context.getClassLoader() != null) ? context.getClassLoader()
				: SessionAutoConfiguration.class.getClassLoader();
		return new JavaSessionSerializer(classLoader, allowed);
	}

	private static List<String> applicationPackages(BeanFactory beanFactory) {
		if (!AutoConfigurationPackages.has(beanFactory)) {
			return List.of();
		}
		return AutoConfigurationPackages.get(beanFactory).stream().map((name) -> name + ".**").toList();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionCookie sessionCookie(SessionProperties properties) {
		SessionCookie cookie = new SessionCookie(
				new SessionCookie.Settings(properties.getCookieName(), properties.getCookieDomain(),
						properties.getCookiePath(), properties.isHttponly(), properties.isSecure(),
						properties.getSamesite().attributeValue(), properties.getCookieMaxAge()),
				properties.getSecretKey(), properties.getPreviousSecretKeys());
		if (!cookie.isSigned()) {
			logger.info("Session cookies carry the bare random session id: set session.secret-key to sign them");
		}
		return cookie;
	}

	/** Locks within this JVM; a store shared by several instances brings its own bean. */
	@Bean
	@ConditionalOnMissingBean
	SessionLocks sessionLocks() {
		return new LocalSessionLocks();
	}

	/**
	 * The store, serializer and locks the lifecycle, {@link Sessions} and the cleanup
	 * use: one bean, which operations (meters, traces) wrap.
	 */
	@Bean
	@ConditionalOnMissingBean
	SessionStorage sessionStorage(SessionStore store, SessionSerializer serializer, SessionLocks locks) {
		return new SessionStorage(store, serializer, locks);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionLifecycle sessionLifecycle(SessionStorage storage, SessionCookie cookie, SessionProperties properties,
			ObjectProvider<SessionInitializer> initializers,
			ObjectProvider<SessionPrincipalResolver> principalResolvers, ObjectProvider<Clock> clock,
			ApplicationEventPublisher events) {
		return new SessionLifecycle(storage, cookie, policy(properties),
				new SessionHooks(initializers.orderedStream().toList(), events, clock.getIfAvailable(Clock::systemUTC),
						principalResolvers.orderedStream().toList()));
	}

	private static SessionPolicy policy(SessionProperties properties) {
		return SessionPolicy.of(properties.getTimeout())
			.withIgnoreExpiry(properties.isIgnoreExpiry())
			.withIgnoreChangeIp(properties.isIgnoreChangeIp())
			.withMaxLifetime(properties.getMaxLifetime())
			.withMaxSizeBytes(properties.getMaxSize().toBytes())
			.withLockTimeout(properties.isLock() ? properties.getLockTimeout() : null)
			.withExpiredMessage(properties.getExpiredMessage())
			.withMaxSessionsPerPrincipal(properties.getMaxSessionsPerPrincipal());
	}

	@Bean
	@ConditionalOnMissingBean
	Sessions sessions(SessionStorage storage, SessionProperties properties, ObjectProvider<Clock> clock,
			ApplicationEventPublisher events) {
		return new StoreSessions(storage, policy(properties), events, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	SessionInterceptor sessionInterceptor(SessionLifecycle lifecycle) {
		return new SessionInterceptor(lifecycle);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionSavingAdvice sessionSavingAdvice(SessionInterceptor interceptor) {
		return new SessionSavingAdvice(interceptor);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionExceptionResolver sessionExceptionResolver(SessionCookie cookie) {
		return new SessionExceptionResolver(cookie);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionStoreCleaner sessionStoreCleaner(SessionStorage storage, SessionProperties properties,
			ObjectProvider<Clock> clock, ApplicationEventPublisher events) {
		return new SessionStoreCleaner(storage.store(), properties.getTimeout(), properties.getCleanupInterval(),
				clock.getIfAvailable(Clock::systemUTC), events);
	}

	/** Each lifecycle event at DEBUG, naming the session by its digest. */
	@Bean
	@ConditionalOnMissingBean
	SessionEventLog sessionEventLog() {
		return new SessionEventLog();
	}

	/**
	 * The request's session, for singletons that take it in their constructor: one bean
	 * that behaves as a request-scoped one, each call going to the session of the request
	 * being handled.
	 */
	@Bean
	@ConditionalOnMissingBean
	Session session() {
		return new CurrentRequestSession();
	}

	@Bean
	WebMvcConfigurer sessionWebMvcConfigurer(SessionInterceptor interceptor,
			SessionExceptionResolver exceptionResolver) {
		return new WebMvcConfigurer() {

			/**
			 * First, so that the application's own interceptors can use the session too.
			 */
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor).order(Ordered.HIGHEST_PRECEDENCE);
			}

			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new SessionArgumentResolver());
			}

			/**
			 * Right after the application's {@code @ExceptionHandler}s, and before Spring
			 * MVC's defaults, which would take a store failure caused by a dropped
			 * database connection for a client that went away.
			 */
			@Override
			public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
				int afterExceptionHandlers = 0;
				for (int i = 0; i < resolvers.size(); i++) {
					if (resolvers.get(i) instanceof ExceptionHandlerExceptionResolver) {
						afterExceptionHandlers = i + 1;
					}
				}
				resolvers.add(afterExceptionHandlers, exceptionResolver);
			}

		};
	}

}
