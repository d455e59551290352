/* pg_premix/premix--0.1.sql: CREATE EXTENSION premix */

\echo Use "CREATE EXTENSION premix" to load this file. \quit

-- The ledger: one row per migration that changed something: planned
-- (premix_apply, premix_migrate: kind 'plan') or hand-written (premix_run:
-- kind 'run').  from/to_fingerprint are model fingerprints of the whole
-- schema before and after; to_schema is the schema after, as JSON.  Each
-- schema premix migrates has its own history (schema_name).
CREATE SCHEMA premix;

CREATE TABLE premix.migrations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version text NOT NULL,
	name text NOT NULL,
	schema_name name NOT NULL DEFAULT pg_catalog.current_schema(),
	kind text NOT NULL CHECK (kind IN ('plan', 'run')),
	checksum text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	applied_by name NOT NULL DEFAULT CURRENT_USER,
	from_fingerprint text,
	to_fingerprint text,
	up_sql text NOT NULL,
	down_sql text,
	steps integer NOT NULL,
	effect jsonb NOT NULL DEFAULT '[]',
	after_commit text,
	rolled_back_at timestamptz,
	to_schema text
);
CREATE INDEX ON premix.migrations (schema_name, version);
COMMENT ON TABLE premix.migrations IS 'premix ledger: every migration premix applied, with its SQL, checksum, fingerprints and effect';

-- The large values (a plan's SQL, effect and the tables it changed: ~300 KB
-- at 1,000 tables) are compressed with lz4 where the server has it: pglz
-- was two fifths of writing the ledger row, ~1 ms of each apply.
DO $$
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_settings
			   WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
		ALTER TABLE premix.migrations ALTER COLUMN up_sql SET COMPRESSION lz4,
			ALTER COLUMN down_sql SET COMPRESSION lz4, ALTER COLUMN effect SET COMPRESSION lz4,
			ALTER COLUMN after_commit SET COMPRESSION lz4, ALTER COLUMN to_schema SET COMPRESSION lz4;
	END IF;
END
$$;

-- Every role that may migrate may record its migration.  Rows are never
-- deleted; a rollback sets rolled_back_at, and a migration's after-commit
-- part (CREATE INDEX CONCURRENTLY) records its "to" when it has run.
GRANT USAGE ON SCHEMA premix TO PUBLIC;
GRANT SELECT, INSERT ON premix.migrations TO PUBLIC;
GRANT UPDATE (rolled_back_at, to_fingerprint, to_schema) ON premix.migrations TO PUBLIC;

-- The trash: a table a migration drops is moved here, and a dropped
-- column's values are copied here with the primary key (table
-- <table>__<column>), so that premix_rollback puts the data back.
-- Option "trash": false turns it off; premix_purge() empties it.
-- Whoever may migrate may move tables in.
CREATE SCHEMA premix_trash;
GRANT USAGE, CREATE ON SCHEMA premix_trash TO PUBLIC;
COMMENT ON SCHEMA premix_trash IS 'premix trash: what migrations dropped, kept for premix_rollback until premix_purge';

-- premix works on the caller's current_schema() and pins search_path
-- itself inside the C code (see pg_premix.c), so these functions are
-- SECURITY INVOKER: premix can do nothing the caller could not do with
-- plain DDL.  PARALLEL UNSAFE: they run DDL and subtransactions.

CREATE FUNCTION premix_schema(options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_schema'
LANGUAGE C STABLE PARALLEL UNSAFE SECURITY INVOKER;

-- text: a JSON target or CREATE statements; jsonb: a JSON target
CREATE FUNCTION premix_diff(target text, options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_diff'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION premix_diff(target jsonb, options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_diff'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION premix_preview(target_or_plan text, options jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'premix_preview'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION premix_preview(target_or_plan jsonb, options jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'premix_preview'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION premix_apply(plan jsonb, allow_destructive boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_apply'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION premix_migrate(target text, allow_destructive boolean DEFAULT false,
							   options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_migrate'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION premix_migrate(target jsonb, allow_destructive boolean DEFAULT false,
							   options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_migrate'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

-- premix_script: the up and down text of a plan, for migration files.
CREATE FUNCTION premix_script(plan jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_script'
LANGUAGE C STABLE PARALLEL UNSAFE SECURITY INVOKER;

-- premix_run: a hand-written migration, applied once, judged by its effect.
CREATE FUNCTION premix_run(version text, name text, up_sql text, down_sql text DEFAULT NULL,
						   allow_destructive boolean DEFAULT false, options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_run'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

-- premix_rollback: run the recorded down SQL of the newest (or named and later) migrations.
CREATE FUNCTION premix_rollback(version text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_rollback'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

-- premix_status: the ledger and whether the live schema drifted from it.
CREATE FUNCTION premix_status()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_status'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

-- premix_purge: empty the trash (all of it, or what was trashed before a UTC stamp YYYYMMDDHHMMSS).
CREATE FUNCTION premix_purge(older_than text DEFAULT NULL, allow_destructive boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_purge'
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY INVOKER;

-- premix_parity: the mismatches between two premix_schema() documents,
-- possibly of different dialects (an empty array: equivalent).
CREATE FUNCTION premix_parity(a jsonb, b jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'premix_parity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE SECURITY INVOKER;
