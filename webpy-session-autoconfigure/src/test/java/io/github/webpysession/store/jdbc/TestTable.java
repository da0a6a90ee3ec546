package io.github.webpysession.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fixture of the JDBC tests: a small pool on one test database and a session table no
 * other test uses, created by the starter's migration. Closing it drops the table and its
 * history and closes the pool.
 */
final class TestTable implements AutoCloseable {

	private final TestDatabase database;

	private final String name;

	private final HikariDataSource dataSource;

	private final JdbcTemplate jdbc;

	private TestTable(TestDatabase database, String name) {
		this.database = database;
		this.name = name;
		this.dataSource = database.dataSource();
		this.jdbc = new JdbcTemplate(this.dataSource);
	}

	/**
	 * A new table on {@code database}, migrated.
	 * @throws org.opentest4j.TestAbortedException where the database is absent and not
	 * required
	 */
	static TestTable migrated(TestDatabase database) {
		TestTable table = named(database);
		new JdbcSessionSchema(table.dataSource, table.name, null).migrate();
		return table;
	}

	/**
	 * A pool on {@code database} and a new table name, for tests that need no table or
	 * make it themselves.
	 */
	static TestTable named(TestDatabase database) {
		database.require();
		return new TestTable(database, TestDatabase.newTableName());
	}

	TestDatabase database() {
		return this.database;
	}

	String name() {
		return this.name;
	}

	HikariDataSource dataSource() {
		return this.dataSource;
	}

	JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/** A new store on this table. */
	JdbcSessionStore store() {
		return new JdbcSessionStore(this.dataSource, this.name);
	}

	/** Deletes every session. */
	void empty() {
		this.jdbc.update("DELETE FROM " + this.name);
	}

	@Override
	public void close() {
		try {
			TestDatabase.dropTables(this.dataSource, this.name);
		}
		finally {
			this.dataSource.close();
		}
	}

}
