package io.github.webpysession.store.jdbc;

import org.junit.jupiter.api.AfterEach;

/** Tests that each set up a {@link TestTable} of their own, dropped after every test. */
abstract class OnATestTable {

	/** The test's table, once it made one. */
	TestTable table;

	@AfterEach
	void dropTable() {
		if (this.table != null) {
			this.table.close();
		}
	}

}
