package io.github.webpysession.sample.security;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import io.github.webpysession.testsupport.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's promises on {@code session.store=jdbc} over PostgreSQL, and what two
 * instances sharing one table promise: a login, a logout, {@code Sessions} and flash
 * attributes reach both. The inherited tests run on the first instance.
 */
class PostgresSecuritySampleTests extends SecuritySampleTests {

	private final String table = "sample_security_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	SampleInstance other;

	@Override
	Map<String, String> storeProperties(Path directory) {
		Services.postgres();
		return Map.of("session.store", "jdbc", "session.jdbc.table-name", this.table, "spring.datasource.url",
				Services.POSTGRES_URL, "spring.datasource.username", Services.POSTGRES_USER);
	}

	@BeforeEach
	void otherStarted() {
		if (this.other == null) {
			this.other = SampleInstance.start(storeProperties(directory()));
		}
	}

	@AfterAll
	void stopTheOtherAndDropTheTable() throws SQLException {
		boolean started = this.instance != null;
		if (this.other != null) {
			this.other.close();
		}
		stop();
		this.instance = null;
		if (!started) {
			return;
		}
		try (Connection connection = DriverManager.getConnection(Services.POSTGRES_URL, Services.POSTGRES_USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.table);
			statement.execute("DROP TABLE IF EXISTS " + this.table + "_schema_history");
		}
	}

	@Test
	void aLoginOnOneInstanceIsLoggedInOnTheOther() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		assertThat(alice.at(this.other).whoAmI()).isEqualTo("alice");
	}

	@Test
	void aLogoutOnEitherInstanceEndsTheLoginOnBoth() {
		for (SampleInstance[] order : new SampleInstance[][] { { this.instance, this.other },
				{ this.other, this.instance } }) {
			Visitor alice = order[0].visitor();
			alice.logIn("alice");
			alice.at(order[1]).logOut();
			assertThat(alice.at(order[0]).whoAmI()).isNull();
			assertThat(alice.at(order[1]).whoAmI()).isNull();
		}
	}

	@Test
	void killByPrincipalNameOnOneInstanceEndsTheUsersSessionsMadeOnBothAndNobodyElses() {
		Visitor laptop = this.instance.visitor();
		laptop.logIn("alice");
		Visitor phone = this.other.visitor();
		phone.logIn("alice");
		Visitor bob = this.other.visitor();
		bob.logIn("bob");
		assertThat(this.other.sessions().killByPrincipalName("alice")).isEqualTo(2);
		assertThat(laptop.whoAmI()).isNull();
		assertThat(phone.whoAmI()).isNull();
		assertThat(bob.whoAmI()).isEqualTo("bob");
		assertThat(bob.at(this.instance).whoAmI()).isEqualTo("bob");
	}

	@Test
	void logOutOthersOnOneInstanceEndsTheSessionsMadeOnTheOther() {
		Visitor laptop = this.instance.visitor();
		laptop.logIn("alice");
		Visitor phone = this.other.visitor();
		phone.logIn("alice");
		laptop.post("/sessions/logout-others");
		assertThat(phone.whoAmI()).isNull();
		assertThat(laptop.at(this.other).whoAmI()).isEqualTo("alice");
	}

	@Test
	void aFlashAttributeSetOnOneInstanceIsReadAfterTheRedirectOnTheOther() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		assertThat(alice.post("/sessions/logout-others").statusCode()).isEqualTo(302);
		assertThat(alice.at(this.other).get("/").body()).contains("Logged out 0 other sessions.");
		assertThat(alice.get("/").body()).as("read once, on either instance").doesNotContain("id=\"message\"");
	}

	@Test
	void aRememberMeCookieFromOneInstanceLogsTheUserBackInOnTheOther() {
		Visitor alice = this.instance.visitor();
		alice.logInRemembered("alice");
		this.instance.sessions().killByPrincipalName("alice");
		assertThat(alice.at(this.other).whoAmI()).isEqualTo("alice");
		assertThat(alice.whoAmI()).isEqualTo("alice");
	}

}
