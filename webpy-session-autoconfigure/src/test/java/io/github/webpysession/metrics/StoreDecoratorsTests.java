package io.github.webpysession.metrics;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import io.github.webpysession.store.SessionStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decorators pass every operation of the store SPI on to the store they wrap: a
 * default method left to the interface would bypass what the store does in its own
 * override (a load that touches in the same command, say).
 */
class StoreDecoratorsTests {

	@ParameterizedTest
	@ValueSource(classes = { MeteredSessionStore.class, ObservedSessionStore.class })
	void aDecoratorOverridesEveryMethodOfTheStoreSpi(Class<?> decorator) {
		List<String> inherited = Arrays.stream(SessionStore.class.getMethods())
			.filter((method) -> !Modifier.isStatic(method.getModifiers()))
			.filter((method) -> !declares(decorator, method))
			.map(Method::toString)
			.toList();

		assertThat(inherited).isEmpty();
	}

	private static boolean declares(Class<?> type, Method method) {
		try {
			return type.getDeclaredMethod(method.getName(), method.getParameterTypes()) != null;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
