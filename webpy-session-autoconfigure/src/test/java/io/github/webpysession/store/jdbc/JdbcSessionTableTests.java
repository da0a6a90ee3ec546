package io.github.webpysession.store.jdbc;

import java.time.Instant;

import io.github.webpysession.store.SessionStoreException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A session table that cannot serve the store is found before any request fails on it: at
 * startup once migrated, and at the store's first use when the starter does not migrate.
 */
class JdbcSessionTableTests extends OnATestTable {

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void aTableDroppedAfterItsMigrationFailsTheNextMigrationNamingTheHistoryToDrop(TestDatabase database) {
		this.table = TestTable.migrated(database);
		String name = this.table.name();
		this.table.jdbc().execute("DROP TABLE " + name);

		assertThatIllegalStateException().isThrownBy(this::migrate)
			.withMessageStartingWith("The session table " + name + " (session.jdbc.table-name) is missing")
			.withMessageContaining("though " + name + "_schema_history records its migration")
			.withMessageContaining("Drop the table " + name + "_schema_history")
			.withMessageContaining("session.jdbc.initialize-schema=never");
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void onceItsHistoryIsDroppedTheTableIsCreatedAgain(TestDatabase database) {
		this.table = TestTable.migrated(database);
		String name = this.table.name();
		this.table.jdbc().execute("DROP TABLE " + name);
		this.table.jdbc().execute("DROP TABLE " + name + "_schema_history");

		migrate();

		assertThat(this.table.store().create("a".repeat(64), new byte[] { 1 }, Instant.EPOCH)).isTrue();
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void aTableOfWebPysShapeWithoutVersionFailsTheMigrationNamingTheColumns(TestDatabase database) {
		this.table = TestTable.named(database);
		this.table.jdbc()
			.execute("CREATE TABLE " + this.table.name() + " (session_id CHAR(128) UNIQUE NOT NULL,"
					+ " atime TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, data TEXT)");

		assertThatIllegalStateException().isThrownBy(this::migrate)
			.withMessageContaining("lacks one of the columns session_id, atime, data, version")
			.withMessageContaining("(and the table " + this.table.name() + " if it is there in another shape)");
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void withoutMigrationAMissingTableFailsTheStoresFirstUseWithWhatToDo(TestDatabase database) {
		this.table = TestTable.named(database);
		JdbcSessionStore store = this.table.store();

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> store.load("a".repeat(64)))
			.withMessageStartingWith(store + ": cannot load a session: ")
			.withMessageContaining("The session table " + this.table.name() + " (session.jdbc.table-name) is missing")
			.withMessageContaining("Create it as the README's DDL shows")
			.withMessageContaining("session.jdbc.initialize-schema=always");
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void aTableCreatedAfterAFailedFirstUseServesTheSameStore(TestDatabase database) {
		this.table = TestTable.named(database);
		JdbcSessionStore store = this.table.store();
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> store.load("a".repeat(64)));

		migrate();

		assertThat(store.create("a".repeat(64), new byte[] { 1 }, Instant.EPOCH)).isTrue();
		assertThat(store.load("a".repeat(64)).data()).containsExactly(1);
	}

	private void migrate() {
		new JdbcSessionSchema(this.table.dataSource(), this.table.name(), null).migrate();
	}

}
