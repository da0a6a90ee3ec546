package io.github.webpysession.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With {@code bench.count-statements=true}: counts, on the client side, the SQL
 * statements the application executes and the commits and rollbacks it asks for, through
 * a wrapper around every {@link DataSource} bean. {@code GET /bench/db} answers the
 * totals so far, for run.sh to take deltas over a fixed number of requests. It
 * complements PostgreSQL's own counters, since pg_stat_statements needs a server restart
 * to load.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.count-statements")
class StatementCounting {

	private static final LongAdder statements = new LongAdder();

	private static final LongAdder commits = new LongAdder();

	private static final LongAdder rollbacks = new LongAdder();

	@Bean
	static BeanPostProcessor countingDataSources() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof DataSource dataSource) ? new CountingDataSource(dataSource) : bean;
			}

		};
	}

	@RestController
	static class Totals {

		@GetMapping("/bench/db")
		Map<String, Long> totals() {
			return Map.of("statements", statements.sum(), "commits", commits.sum(), "rollbacks", rollbacks.sum());
		}

	}

	static final class CountingDataSource extends DelegatingDataSource {

		CountingDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			return proxy(Connection.class, super.getConnection(), StatementCounting::onConnection);
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return proxy(Connection.class, super.getConnection(username, password), StatementCounting::onConnection);
		}

	}

	private static Object onConnection(Method method, Object result) {
		switch (method.getName()) {
			case "commit" -> commits.increment();
			case "rollback" -> rollbacks.increment();
			default -> {
			}
		}
		if (result instanceof CallableStatement statement) {
			return proxy(CallableStatement.class, statement, StatementCounting::onStatement);
		}
		if (result instanceof PreparedStatement statement) {
			return proxy(PreparedStatement.class, statement, StatementCounting::onStatement);
		}
		if (result instanceof Statement statement) {
			return proxy(Statement.class, statement, StatementCounting::onStatement);
		}
		return result;
	}

	/** One per execute call; a batch counts as the statements added to it. */
	private static Object onStatement(Method method, Object result) {
		String name = method.getName();
		if (name.equals("addBatch") || (name.startsWith("execute") && !name.endsWith("Batch"))) {
			statements.increment();
		}
		return result;
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, ResultFilter filter) {
		InvocationHandler handler = (proxy, method, args) -> {
			try {
				return filter.apply(method, method.invoke(target, args));
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		};
		return (T) Proxy.newProxyInstance(StatementCounting.class.getClassLoader(), new Class<?>[] { type }, handler);
	}

	@FunctionalInterface
	private interface ResultFilter {

		Object apply(Method method, Object result);

	}

}
