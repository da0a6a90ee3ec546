-- The JDBC session store's table. The store writes every atime itself, in UTC: DATETIME, since
-- TIMESTAMP would convert with the session time zone (and end in 2038); MEDIUMTEXT, since TEXT
-- holds 64 KB only, less than session.max-size's default once Base64-encoded.
CREATE TABLE IF NOT EXISTS ${table} (
	session_id CHAR(128) NOT NULL PRIMARY KEY,
	atime DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	data MEDIUMTEXT,
	version BIGINT NOT NULL DEFAULT 0,
	INDEX ${atime_index} (atime)
);
