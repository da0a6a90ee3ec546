package io.github.webpysession.store.jdbc;

import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.testsupport.Services;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The databases the JDBC store's tests run on. Every test class uses tables of its own,
 * named by {@link #newTableName()}, since other tests may use the same servers at the
 * same time.
 */
enum TestDatabase {

	H2 {

		@Override
		void require() {
		}

		@Override
		String url() {
			return "jdbc:h2:mem:webpy_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
		}

		@Override
		String user() {
			return "sa";
		}

	},

	POSTGRESQL {

		@Override
		void require() {
			Services.postgres();
		}

		@Override
		String url() {
			return Services.POSTGRES_URL;
		}

		@Override
		String user() {
			return Services.POSTGRES_USER;
		}

	},

	MARIADB {

		@Override
		void require() {
			Services.mariadb();
		}

		@Override
		String url() {
			return Services.MARIADB_URL;
		}

		@Override
		String user() {
			return Services.MARIADB_USER;
		}

	};

	/**
	 * Skips the test where this database is absent, or fails it where services are
	 * required.
	 */
	abstract void require();

	/** The JDBC URL; for H2, a new in-memory database at each call. */
	abstract String url();

	abstract String user();

	/** A small pool on this database, or on {@code url} when it is given. */
	HikariDataSource dataSource(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(user());
		dataSource.setPassword("");
		dataSource.setMaximumPoolSize(8);
		dataSource.setConnectionTimeout(5000);
		return dataSource;
	}

	HikariDataSource dataSource() {
		return dataSource(url());
	}

	/** A table name no other test uses. */
	static String newTableName() {
		return "sessions_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	/** Drops the store's table and its schema history, if they exist. */
	static void dropTables(DataSource dataSource, String table) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("DROP TABLE IF EXISTS " + table);
		jdbc.execute("DROP TABLE IF EXISTS " + table + "_schema_history");
	}

}
