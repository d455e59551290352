/* pg_premix/premix--0.1.sql: CREATE EXTENSION premix */

\echo Use "CREATE EXTENSION premix" to load this file. \quit

-- The ledger: one row per apply or migrate that changed something.
CREATE SCHEMA premix;

CREATE TABLE premix.migrations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version text NOT NULL,
	name text NOT NULL,
	checksum text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	applied_by name NOT NULL DEFAULT CURRENT_USER,
	from_fingerprint text,
	to_fingerprint text,
	up_sql text NOT NULL,
	down_sql text NOT NULL,
	steps integer NOT NULL
);
COMMENT ON TABLE premix.migrations IS 'premix ledger: every migration premix applied, with its SQL and fingerprints';

-- Every role that may migrate may record its migration; rows are never updated.
GRANT USAGE ON SCHEMA premix TO PUBLIC;
GRANT SELECT, INSERT ON premix.migrations TO PUBLIC;

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
