package io.github.webpysession.store.jdbc;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store contract, and what is particular to the JDBC store, on one database: a table of this
 * class's own, created by the starter's migration and emptied before each test.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class JdbcSessionStoreContractTests extends SessionStoreContractTests {

	private final TestDatabase database;

	private TestTable fixture;

	private String table;

	private JdbcTemplate jdbc;

	JdbcSessionStoreContractTests(TestDatabase database) {
		this.database = database;
	}

	@BeforeAll
	void createTable() {
		this.fixture = TestTable.migrated(this.database);
		this.table = this.fixture.name();
		this.jdbc = this.fixture.jdbc();
	}

	@AfterAll
	void dropTable() {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Override
	protected SessionStore createStore() {
		this.fixture.empty();
		return this.fixture.store();
	}

	@Test
	void dataIsKeptBase64EncodedInTheTextColumn() {
		String id = newId();
		this.store.create(id, new byte[] { 0, -1, 10 }, T0);
		assertThat(this.jdbc.queryForObject("SELECT data FROM " + this.table + " WHERE session_id = ?", String.class,
				id))
			.isEqualTo(Base64.getEncoder().encodeToString(new byte[] { 0, -1, 10 }));
	}

	@Test
	void lastAccessIsKeptAsATimestampInUtc() {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		assertThat(this.jdbc.queryForObject("SELECT atime FROM " + this.table + " WHERE session_id = ?",
				LocalDateTime.class, id))
			.isEqualTo(LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
	}

	@Test
	void lastAccessKeepsMicroseconds() {
		String id = newId();
		this.store.create(id, bytes("x"), T0.plusNanos(123_456_789));
		assertThat(this.store.load(id).lastAccessed()).isEqualTo(T0.plusNanos(123_456_000));
	}

	@Test
	void dataThatIsNotBase64IsUnreadableNotAStoreFailure() {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		this.jdbc.update("UPDATE " + this.table + " SET data = '%%%' WHERE session_id = ?", id);
		assertThatExceptionOfType(UnreadableSessionException.class).isThrownBy(() -> this.store.load(id));
	}

	@Test
	void aMegabyteOfDataFitsTheColumn() {
		String id = newId();
		byte[] data = new byte[1024 * 1024];
		new java.util.Random(42).nextBytes(data);
		this.store.create(id, data, T0);
		assertThat(this.store.load(id).data()).isEqualTo(data);
	}

	@Test
	void migratingAgainChangesNothing() {
		String id = newId();
		this.store.create(id, bytes("kept"), T0);
		new JdbcSessionSchema(this.fixture.dataSource(), this.table, null).migrate();
		assertThat(this.store.load(id).data()).isEqualTo(bytes("kept"));
	}

	@Test
	void toStringNamesTheTableAndTheDatabaseOnceItHasBeenUsed() {
		assertThat(this.store).hasToString("JDBC session store, table " + this.table);
		this.store.load(newId());
		assertThat(this.store.toString()).startsWith("JDBC session store, table " + this.table + " on ")
			.endsWith(expectedProductName());
	}

	/** How the database names itself in its metadata. */
	abstract String expectedProductName();

}
