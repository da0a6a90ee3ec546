-- Sessions by principal name. principal_name holds the name Base64-encoded from UTF-8, as data
-- holds the session, so that any name fits (a NUL character, which text refuses, or one of any
-- length); principal_hash holds its SHA-256 in lowercase hex, the key of the index, whose entries
-- keep a fixed size however long the name. Both are null for a session under no principal, and
-- both are written by the statement that writes data. Adding nullable columns without a default
-- rewrites no row, so this upgrades a table of version 1 in place, keeping its sessions; building
-- the index holds the table's writes for one scan of it.
ALTER TABLE ${table}
	ADD COLUMN IF NOT EXISTS principal_name TEXT,
	ADD COLUMN IF NOT EXISTS principal_hash CHAR(64);

CREATE INDEX IF NOT EXISTS ${principal_index} ON ${table} (principal_hash);
