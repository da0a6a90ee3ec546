package io.github.webpysession.store.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.web.SessionFilter;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request costs the database over real HTTP, with the {@code HttpSession} bridge
 * on (the default), counted on every connection the application borrows: a request whose
 * code never touches the session sends nothing, though it carries a live session's cookie
 * and Spring MVC asks for flash attributes before the handler and for the session id
 * after it (its request-handled event). The count is read once the container has ended
 * the request, after every filter and that event.
 */
class JdbcRoundTripsHttpTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final String table = TestDatabase.newTableName();

	private TestDatabase database;

	private String url;

	private ConfigurableApplicationContext context;

	private HttpClientWithCookies client;

	private CountingDataSource counting;

	private EndedRequests ended;

	private void start(TestDatabase database) {
		database.require();
		this.database = database;
		this.url = database.url();
		this.context = JdbcTestApplication.start(List.of(Counting.class), this.url, database.user(), this.table);
		this.client = new HttpClientWithCookies(JdbcTestApplication.port(this.context));
		this.counting = this.context.getBean(CountingDataSource.class);
		this.ended = this.context.getBean(EndedRequests.class);
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
			try (HikariDataSource dataSource = this.database.dataSource(this.url)) {
				TestDatabase.dropTables(dataSource, this.table);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aRequestThatNeverTouchesTheSessionSendsNoStatementThoughItCarriesALiveSessionsCookie(TestDatabase database)
			throws InterruptedException {
		start(database);
		assertThat(this.context.getBean(SessionStore.class)).isInstanceOf(JdbcSessionStore.class);
		assertThat(this.context.getBeansOfType(FilterRegistrationBean.class).values())
			.anyMatch((registration) -> registration.getFilter() instanceof SessionFilter);
		assertThat(this.client.get("/count").body()).isEqualTo("1");
		this.ended.await("/count");
		assertThat(this.counting.statements()).as("the store's statements are counted").isNotEmpty();
		this.counting.clear();

		assertThat(this.client.get("/plain").body()).isEqualTo("plain");
		this.ended.await("/plain");

		assertThat(this.counting.statements()).isEmpty();
		assertThat(this.counting.connections()).isZero();
		assertThat(this.client.get("/count").body()).as("the session was live").isEqualTo("2");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void manyRequestsThatNeverTouchTheSessionSendNoStatementOnceEnded(TestDatabase database)
			throws InterruptedException {
		start(database);
		this.client.get("/count");
		this.ended.await("/count");
		this.counting.clear();

		for (int i = 0; i < 20; i++) {
			this.client.get("/plain");
		}
		for (int i = 0; i < 20; i++) {
			this.ended.await("/plain");
		}

		assertThat(this.counting.statements()).isEmpty();
		assertThat(this.counting.connections()).isZero();
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aWriteOfTheSessionOverHttpIsOneSelectAndOneUpdate(TestDatabase database) throws InterruptedException {
		start(database);
		this.client.get("/count");
		this.ended.await("/count");
		this.counting.clear();

		this.client.get("/count");
		this.ended.await("/count");

		assertThat(this.counting.statements()).hasSize(2);
		assertThat(this.counting.statements().get(0)).startsWith("SELECT");
		assertThat(this.counting.statements().get(1)).startsWith("UPDATE");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aReadOfTheSessionOverHttpIsOneSelect(TestDatabase database) throws InterruptedException {
		start(database);
		this.client.get("/count");
		this.ended.await("/count");
		this.counting.clear();

		this.client.get("/read");
		this.ended.await("/read");

		assertThat(this.counting.statements()).singleElement().satisfies((sql) -> assertThat(sql).startsWith("SELECT"));
	}

	/**
	 * Counts what every DataSource of the application is asked, and tells when requests
	 * end.
	 */
	static class Counting {

		@Bean
		static CountingDataSource countingDataSource() {
			return new CountingDataSource();
		}

		@Bean
		static BeanPostProcessor countingDataSources(ObjectProvider<CountingDataSource> counting) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof DataSource dataSource) ? counting.getObject().wrap(dataSource) : bean;
				}

			};
		}

		@Bean
		EndedRequests endedRequests() {
			return new EndedRequests();
		}

	}

	/**
	 * The paths of the requests the container has ended: after their filters, handler and
	 * events.
	 */
	static class EndedRequests implements ServletRequestListener {

		private final BlockingQueue<String> paths = new LinkedBlockingQueue<>();

		@Override
		public void requestDestroyed(ServletRequestEvent event) {
			this.paths.add(((HttpServletRequest) event.getServletRequest()).getRequestURI());
		}

		/**
		 * Waits until the container has ended the next request, which must be for
		 * {@code path}.
		 */
		void await(String path) throws InterruptedException {
			assertThat(this.paths.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(path);
		}

	}

}
