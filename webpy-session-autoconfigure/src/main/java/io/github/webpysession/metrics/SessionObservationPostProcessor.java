package io.github.webpysession.metrics;

import io.github.webpysession.web.SessionStorage;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Observes the store of the {@link SessionStorage} that the lifecycle, {@code Sessions}
 * and the cleanup share: it becomes an {@link ObservedSessionStore}. The store bean
 * itself stays as it is.
 */
public final class SessionObservationPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ObservationRegistry> registry;

	/**
	 * @param registry resolved once the storage is created, not before
	 */
	public SessionObservationPostProcessor(ObjectProvider<ObservationRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof SessionStorage storage) {
			return new SessionStorage(new ObservedSessionStore(storage.store(), this.registry.getObject()),
					storage.serializer(), storage.locks());
		}
		return bean;
	}

}
