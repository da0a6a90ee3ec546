package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Version 2 of the session table (sessions by principal) upgrades a table of version 1 in
 * place: a table the starter migrated before, or one made by hand with the README's DDL.
 * The README's DDL of both versions is written here as the README shows it, with the
 * test's table name.
 */
class JdbcSchemaUpgradeTests extends OnATestTable {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final String ID_1 = "1".repeat(64);

	private static final String ID_2 = "2".repeat(64);

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theStartersMigrationKeepsTheSessionsOfATableOfVersion1(TestDatabase database) {
		startWithTwoSessionsAtVersion1(database);

		migrate();

		assertThat(history()).containsExactly("1", "2");
		assertSessionsAtVersion1Survived();
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theSessionsOfATableOfVersion1AreFoundByPrincipalOnceWrittenWithOne(TestDatabase database) {
		startWithTwoSessionsAtVersion1(database);
		migrate();
		JdbcSessionStore store = this.table.store();

		assertThat(store.update(ID_1, bytes("logged in"), "alice", T0.plusSeconds(1), 3)).isTrue();

		assertThat(store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(ID_1);
		assertThat(store.load(ID_2).principalName()).isNull();
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void aTableOfVersion1FailsTheStoresFirstUseNamingTheAlterTable(TestDatabase database) {
		startAtVersion1(database);
		JdbcSessionStore store = this.table.store();

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> store.load(ID_1))
			.withMessageContaining("The session table " + this.table.name() + " (session.jdbc.table-name)")
			.withMessageContaining("principal_name, principal_hash")
			.withMessageContaining("It is a table of version 1, without the columns that index sessions by principal:"
					+ " add them as the README's ALTER TABLE shows, or let the starter migrate it at startup"
					+ " (session.jdbc.initialize-schema=always)");
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theReadmesAlterTableUpgradesATableOfVersion1MadeByHand(TestDatabase database) {
		this.table = TestTable.named(database);
		execute(readmeVersion1Ddl(database));
		storeTwoSessionsAtVersion1();

		execute(readmeAlterTable(database));

		assertSessionsAtVersion1Survived();
		JdbcSessionStore store = this.table.store();
		store.update(ID_2, bytes("logged in"), "alice", T0, 0);
		assertThat(store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(ID_2);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theReadmesDdlMakesATableTheStoreServes(TestDatabase database) {
		JdbcSessionStore store = startWithTheReadmesDdl(database);

		assertThat(store.create(ID_1, bytes("x"), "alice", T0)).isTrue();

		assertThat(store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(ID_1);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theStartersMigrationAdoptsATableMadeByHandWithTheReadmesDdl(TestDatabase database) {
		startWithTheReadmesDdl(database).create(ID_1, bytes("kept"), "alice", T0);

		migrate();

		assertThat(history()).containsExactly("1", "2");
		assertThat(this.table.store().findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(ID_1);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theStartersMigrationUpgradesATableOfVersion1MadeByHand(TestDatabase database) {
		this.table = TestTable.named(database);
		execute(readmeVersion1Ddl(database));
		storeTwoSessionsAtVersion1();

		migrate();

		assertThat(history()).containsExactly("1", "2");
		assertSessionsAtVersion1Survived();
	}

	private void startWithTwoSessionsAtVersion1(TestDatabase database) {
		startAtVersion1(database);
		storeTwoSessionsAtVersion1();
	}

	private void storeTwoSessionsAtVersion1() {
		storeAtVersion1(ID_1, "first", 3);
		storeAtVersion1(ID_2, "second", 0);
	}

	/**
	 * A table made with the README's DDL of the current version, as a user with
	 * initialize-schema=never.
	 */
	private JdbcSessionStore startWithTheReadmesDdl(TestDatabase database) {
		this.table = TestTable.named(database);
		execute(readmeDdl(database));
		return this.table.store();
	}

	/**
	 * A table migrated by the starter's version 1 only, as the starter before sessions by
	 * principal left it; its check then finds the columns of version 2 missing.
	 */
	private void startAtVersion1(TestDatabase database) {
		this.table = TestTable.named(database);
		assertThatIllegalStateException()
			.isThrownBy(() -> new JdbcSessionSchema(this.table.dataSource(), this.table.name(), null,
					List.of((configuration) -> configuration.target("1")))
				.migrate())
			.withMessageContaining("principal_name");
		assertThat(history()).containsExactly("1");
	}

	/** A row as the store of version 1 wrote it, which knew no principal. */
	private void storeAtVersion1(String id, String data, long version) {
		this.table.jdbc()
			.update("INSERT INTO " + this.table.name() + " (session_id, data, atime, version) VALUES (?, ?, ?, ?)", id,
					Base64.getEncoder().encodeToString(bytes(data)), LocalDateTime.ofInstant(T0, ZoneOffset.UTC),
					version);
	}

	private void assertSessionsAtVersion1Survived() {
		JdbcSessionStore store = this.table.store();
		StoredSession first = store.load(ID_1);
		assertThat(first.data()).isEqualTo(bytes("first"));
		assertThat(first.version()).isEqualTo(3);
		assertThat(first.lastAccessed()).isEqualTo(T0);
		assertThat(first.principalName()).isNull();
		assertThat(store.load(ID_2).data()).isEqualTo(bytes("second"));
	}

	private void migrate() {
		new JdbcSessionSchema(this.table.dataSource(), this.table.name(), null).migrate();
	}

	/**
	 * The versions of the migrations the starter's history records as run, without the
	 * baseline that a schema holding other tables (of other tests) gets first.
	 */
	private List<String> history() {
		return this.table.jdbc()
			.queryForList("SELECT * FROM " + this.table.name() + "_schema_history")
			.stream()
			.filter((row) -> "SQL".equals(row.get("type")))
			.filter((row) -> List.of("true", "1").contains(String.valueOf(row.get("success"))))
			.sorted(Comparator.comparing((row) -> ((Number) row.get("installed_rank")).intValue()))
			.map((row) -> String.valueOf(row.get("version")))
			.toList();
	}

	private void execute(String statements) {
		for (String statement : statements.split(";")) {
			if (!statement.isBlank()) {
				this.table.jdbc().execute(statement.replace("sessions", this.table.name()));
			}
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The README's DDL for {@code session.jdbc.initialize-schema=never}. */
	private static String readmeDdl(TestDatabase database) {
		return switch (database) {
			case POSTGRESQL -> """
					CREATE TABLE sessions (
						session_id CHAR(128) PRIMARY KEY,
						atime TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
						data TEXT,
						version BIGINT NOT NULL DEFAULT 0,
						principal_name TEXT,
						principal_hash CHAR(64)
					);
					CREATE INDEX sessions_atime ON sessions (atime);
					CREATE INDEX sessions_principal ON sessions (principal_hash);
					""";
			case MARIADB -> """
					CREATE TABLE sessions (
						session_id CHAR(128) NOT NULL PRIMARY KEY,
						atime DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
						data MEDIUMTEXT,
						version BIGINT NOT NULL DEFAULT 0,
						principal_name MEDIUMTEXT,
						principal_hash CHAR(64),
						INDEX sessions_atime (atime),
						INDEX sessions_principal (principal_hash)
					);
					""";
			case H2 -> """
					CREATE TABLE sessions (
						session_id CHAR(128) PRIMARY KEY,
						atime TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
						data TEXT,
						version BIGINT NOT NULL DEFAULT 0,
						principal_name TEXT,
						principal_hash CHAR(64)
					);
					CREATE INDEX sessions_atime ON sessions (atime);
					CREATE INDEX sessions_principal ON sessions (principal_hash);
					""";
		};
	}

	/** The README's upgrade of a table made by hand before sessions by principal. */
	private static String readmeAlterTable(TestDatabase database) {
		return switch (database) {
			case POSTGRESQL, H2 -> """
					ALTER TABLE sessions ADD COLUMN principal_name TEXT;
					ALTER TABLE sessions ADD COLUMN principal_hash CHAR(64);
					CREATE INDEX sessions_principal ON sessions (principal_hash);
					""";
			case MARIADB -> """
					ALTER TABLE sessions ADD COLUMN principal_name MEDIUMTEXT, ADD COLUMN principal_hash CHAR(64),
						ADD INDEX sessions_principal (principal_hash);
					""";
		};
	}

	/** The README's DDL before sessions by principal (version 1). */
	private static String readmeVersion1Ddl(TestDatabase database) {
		return switch (database) {
			case POSTGRESQL -> """
					CREATE TABLE sessions (
						session_id CHAR(128) PRIMARY KEY,
						atime TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
						data TEXT,
						version BIGINT NOT NULL DEFAULT 0
					);
					CREATE INDEX sessions_atime ON sessions (atime);
					""";
			case MARIADB -> """
					CREATE TABLE sessions (
						session_id CHAR(128) NOT NULL PRIMARY KEY,
						atime DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
						data MEDIUMTEXT,
						version BIGINT NOT NULL DEFAULT 0,
						INDEX sessions_atime (atime)
					);
					""";
			case H2 -> """
					CREATE TABLE sessions (
						session_id CHAR(128) PRIMARY KEY,
						atime TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
						data TEXT,
						version BIGINT NOT NULL DEFAULT 0
					);
					CREATE INDEX sessions_atime ON sessions (atime);
					""";
		};
	}

}
