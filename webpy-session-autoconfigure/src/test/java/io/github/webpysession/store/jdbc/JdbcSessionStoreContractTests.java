package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.PrincipalIndexContractTests;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store contract with its index by principal name, and what is particular to the JDBC
 * store, on one database: a table of this class's own, created by the starter's migration
 * and emptied before each test. A restart is a new store on the same table.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class JdbcSessionStoreContractTests extends PrincipalIndexContractTests {

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

	@Override
	protected SessionStore reopenStore(SessionStore store) {
		return this.fixture.store();
	}

	@Test
	void dataIsKeptBase64EncodedInTheTextColumn() {
		String id = newId();
		this.store.create(id, new byte[] { 0, -1, 10 }, T0);
		assertThat(
				this.jdbc.queryForObject("SELECT data FROM " + this.table + " WHERE session_id = ?", String.class, id))
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

	@Test
	void thePrincipalNameIsKeptBase64EncodedFromUtf8BesideItsSha256InHex() {
		String id = newId();
		this.store.create(id, bytes("x"), "名前 😀", T0);
		Map<String, Object> row = principalColumns(id);
		assertThat(row.get("principal_name"))
			.isEqualTo(Base64.getEncoder().encodeToString("名前 😀".getBytes(StandardCharsets.UTF_8)));
		assertThat(row.get("principal_hash")).isEqualTo(sha256("名前 😀"));
	}

	@Test
	void aSessionUnderNoPrincipalHasNeitherNameNorHash() {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		this.store.update(id, bytes("y"), null, T0, 0);
		Map<String, Object> row = principalColumns(id);
		assertThat(row.get("principal_name")).isNull();
		assertThat(row.get("principal_hash")).isNull();
	}

	@Test
	void theWritesWithoutAPrincipalNameLeaveTheSessionUnderNone() {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		this.store.update(id, bytes("moved"), T0, 0);
		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
		assertThat(this.store.load(id).principalName()).isNull();
	}

	@Test
	void aNameOfAHundredThousandCharactersIsSavedAndFound() {
		String name = "é".repeat(100_000);
		String id = newId();
		assertThat(this.store.create(id, bytes("x"), name, T0)).isTrue();
		assertThat(this.store.update(id, bytes("y"), name, T0, 0)).isTrue();
		assertThat(this.store.findByPrincipalName(name)).extracting(StoredSession::id).containsExactly(id);
		assertThat(this.store.load(id).principalName()).isEqualTo(name);
	}

	@Test
	void aRowWhoseHashWasEditedToAnothersIsNotFoundUnderTheOtherName() {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		this.jdbc.update("UPDATE " + this.table + " SET principal_hash = ? WHERE session_id = ?", sha256("bob"), id);
		assertThat(this.store.findByPrincipalName("bob")).isEmpty();
	}

	@Test
	void aPrincipalNameThatIsNotBase64MakesItsSessionUnreadableAndUnfound() {
		String id = newId();
		String other = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		this.store.create(other, bytes("y"), "alice", T0);
		this.jdbc.update("UPDATE " + this.table + " SET principal_name = '%%%' WHERE session_id = ?", id);
		assertThatExceptionOfType(UnreadableSessionException.class).isThrownBy(() -> this.store.load(id))
			.withMessageStartingWith("principal name of session " + id.substring(0, 8) + "… is not Base64");
		assertThat(this.store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(other);
	}

	@Test
	void aSessionFoundByPrincipalHasTheIdItWasCreatedUnder() {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		assertThat(this.store.findByPrincipalName("alice").get(0).id()).isEqualTo(id).hasSize(64);
	}

	private Map<String, Object> principalColumns(String id) {
		return this.jdbc
			.queryForMap("SELECT principal_name, principal_hash FROM " + this.table + " WHERE session_id = ?", id);
	}

	private static String sha256(String name) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** How the database names itself in its metadata. */
	abstract String expectedProductName();

}
