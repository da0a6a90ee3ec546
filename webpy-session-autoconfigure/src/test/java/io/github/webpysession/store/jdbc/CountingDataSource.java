package io.github.webpysession.store.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

/**
 * What an application asks of its database, counted on the connections it borrows: the
 * SQL of every statement prepared (upper-cased), and every call that would open or end a
 * transaction. A test can hold the next borrower of a connection until it lets it go.
 */
final class CountingDataSource {

	private final List<String> statements = new CopyOnWriteArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicReference<Hold> nextHold = new AtomicReference<>();

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

	/**
	 * Makes the next request for a connection wait, before it borrows one, until the
	 * answered hold is let go.
	 */
	Hold holdNextConnection() {
		Hold hold = new Hold();
		this.nextHold.set(hold);
		return hold;
	}

	/** {@code target}, counted here. */
	DataSource wrap(DataSource target) {
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				(proxy, method, args) -> {
					if (method.getName().equals("getConnection")) {
						Hold hold = this.nextHold.getAndSet(null);
						if (hold != null) {
							hold.await();
						}
					}
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

	/** A borrower of a connection held back until the test lets it go. */
	static final class Hold {

		private final CountDownLatch arrived = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		/** Waits until the held borrower asks for its connection. */
		void awaitBorrower() throws InterruptedException {
			if (!this.arrived.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("nothing asked for a connection");
			}
		}

		/** Lets the held borrower have its connection. */
		void release() {
			this.released.countDown();
		}

		private void await() throws InterruptedException {
			this.arrived.countDown();
			if (!this.released.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never let the held connection go");
			}
		}

	}

}
