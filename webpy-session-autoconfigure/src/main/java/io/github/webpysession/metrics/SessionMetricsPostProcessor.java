package io.github.webpysession.metrics;

import io.github.webpysession.web.SessionStorage;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Meters the {@link SessionStorage} that the lifecycle, {@code Sessions} and the cleanup
 * share: its store becomes a {@link MeteredSessionStore}, its locks
 * {@link MeteredSessionLocks}. The store bean itself stays as it is, so that it is still
 * injected by its own type.
 */
public final class SessionMetricsPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<MeterRegistry> registry;

	/**
	 * @param registry resolved once the storage is created, not before
	 */
	public SessionMetricsPostProcessor(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof SessionStorage storage) {
			MeterRegistry meters = this.registry.getObject();
			return new SessionStorage(new MeteredSessionStore(storage.store(), meters), storage.serializer(),
					new MeteredSessionLocks(storage.locks(), meters));
		}
		return bean;
	}

}
