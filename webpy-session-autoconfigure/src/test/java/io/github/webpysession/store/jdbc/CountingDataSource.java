package io.github.webpysession.store.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * What an application asks of its database, counted on the connections it borrows: the
 * SQL of every statement prepared (upper-cased), and every call that would open or end a
 * transaction.
 */
final class CountingDataSource {

	private final List<String> statements = new CopyOnWriteArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	/**
	 * The SQL of every statement prepared, and {@code setAutoCommit(false)},
	 * {@code commit} and {@code rollback}.
	 */
	List<String> statements() {
		return this.statements;
	}

	/** How many connections were borrowed. */
	int connections() {
		return this.connections.get();
	}

	/** Forgets what was counted so far. */
	void clear() {
		this.statements.clear();
		this.connections.set(0);
	}

	/** {@code target}, counted here. */
	DataSource wrap(DataSource target) {
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				(proxy, method, args) -> {
					Object result = invoke(method, target, args);
					if (method.getName().equals("getConnection")) {
						this.connections.incrementAndGet();
						return counted((Connection) result);
					}
					return result;
				});
	}

	private Connection counted(Connection connection) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					String name = method.getName();
					if (name.equals("prepareStatement") || name.equals("createStatement")) {
						this.statements.add(String.valueOf((args != null && args.length > 0) ? args[0] : "statement")
							.trim()
							.toUpperCase(Locale.ROOT));
					}
					else if (name.equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
						this.statements.add("setAutoCommit(false)");
					}
					else if (name.equals("commit") || name.equals("rollback")) {
						this.statements.add(name);
					}
					return invoke(method, connection, args);
				});
	}

	private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
