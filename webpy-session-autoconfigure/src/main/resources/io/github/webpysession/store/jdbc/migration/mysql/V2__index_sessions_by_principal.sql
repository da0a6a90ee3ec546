-- Sessions by principal name. principal_name holds the name Base64-encoded from UTF-8, as data
-- holds the session, so that neither the table's character set nor its collation matter (a
-- case-insensitive or PAD SPACE collation would take 'Alice' or 'alice ' for 'alice'), and any name
-- fits; principal_hash holds its SHA-256 in lowercase hex, the key of the index, whose entries keep
-- a fixed size however long the name (an index on utf8mb4 text stops at 768 characters). Both are
-- null for a session under no principal, and both are written by the statement that writes data.
-- One ALTER TABLE, which MariaDB 10.3+ and MySQL 8 run in place, keeping the sessions and without
-- blocking their reads and writes. The IF NOT EXISTS are MariaDB's alone (MySQL skips the
-- comments), so that MariaDB adopts a table created by hand with the README's DDL.
ALTER TABLE ${table}
	ADD COLUMN /*M! IF NOT EXISTS */ principal_name MEDIUMTEXT,
	ADD COLUMN /*M! IF NOT EXISTS */ principal_hash CHAR(64),
	ADD INDEX /*M! IF NOT EXISTS */ ${principal_index} (principal_hash);
