package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.time.Duration;

import org.h2.api.Trigger;

class JdbcCleanupBatchesH2Tests extends JdbcCleanupBatchesTests {

	JdbcCleanupBatchesH2Tests() {
		super(TestDatabase.H2);
	}

	/** H2 runs the cleanup's deletes in the application's own JVM. */
	@Override
	protected boolean restsBetweenBatches() {
		return true;
	}

	/**
	 * Makes each delete statement wait in a trigger: H2's cleanup times the rest after a
	 * statement from that statement's start.
	 */
	@Override
	protected void slowEachBatchBy(Duration duration) {
		SlowDeletes.duration = duration;
		String table = fixture().name();
		fixture().jdbc()
			.execute("CREATE TRIGGER " + table + "_slow BEFORE DELETE ON " + table + " FOR EACH STATEMENT CALL '"
					+ SlowDeletes.class.getName() + "'");
	}

	/** A trigger that makes a statement take {@link #duration} longer. */
	public static class SlowDeletes implements Trigger {

		static volatile Duration duration = Duration.ZERO;

		@Override
		public void fire(Connection connection, Object[] oldRow, Object[] newRow) {
			sleep(duration);
		}

	}

}
