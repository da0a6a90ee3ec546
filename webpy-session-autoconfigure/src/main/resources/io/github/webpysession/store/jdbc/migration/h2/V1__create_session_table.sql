-- The JDBC session store's table. The store writes every atime itself, in UTC.
CREATE TABLE IF NOT EXISTS ${table} (
	session_id CHAR(128) PRIMARY KEY,
	atime TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
	data TEXT,
	version BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS ${atime_index} ON ${table} (atime);
