-- parity: premix_parity(a, b) compares two premix_schema() documents,
-- possibly of different dialects, under the portable type mapping; one row
-- per mismatch (path, a, b, why), sorted by path; [] when equivalent.
-- The SQLite documents are premix_schema() output of SQLite 3.40 databases
-- (tests/sqlite/parity.sql is the mirror image: it embeds PostgreSQL ones).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;

-- a pure function of its arguments: IMMUTABLE, STRICT, no database access
SELECT provolatile, proisstrict, pg_get_function_arguments(oid) AS args
  FROM pg_proc WHERE proname = 'premix_parity';

-- --------------------------------------- the portable target, both sides
\set target `cat tests/parity/target.json`
\set sqlite_target '{"format": 1, "dialect": "sqlite", "tables": [{"name": "orgs", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"}, {"name": "name", "type": "varchar(100)", "nullable": false}, {"name": "active", "type": "boolean", "nullable": false, "default": "true"}, {"name": "created_at", "type": "timestamp", "nullable": false, "default": "current_timestamp"}], "primary_key": {"columns": ["id"]}, "unique": [{"columns": ["name"]}]}, {"name": "post_tags", "columns": [{"name": "post_id", "type": "integer", "nullable": false}, {"name": "tag_id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["post_id", "tag_id"]}, "foreign_keys": [{"columns": ["post_id"], "ref_table": "posts", "ref_columns": ["id"], "on_delete": "cascade", "on_update": "no action"}, {"columns": ["tag_id"], "ref_table": "tags", "ref_columns": ["id"], "on_delete": "restrict", "on_update": "no action"}], "indexes": [{"name": "post_tags_tag_idx", "columns": ["tag_id"], "unique": false, "using": "btree"}]}, {"name": "posts", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"}, {"name": "user_id", "type": "bigint", "nullable": true}, {"name": "title", "type": "varchar(200)", "nullable": false, "default": "''untitled''"}, {"name": "body", "type": "text", "nullable": true}, {"name": "published", "type": "boolean", "nullable": false, "default": "false"}, {"name": "written_at", "type": "timestamp", "nullable": true}], "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["user_id"], "ref_table": "users", "ref_columns": ["id"], "on_delete": "set null", "on_update": "cascade"}], "indexes": [{"name": "posts_user_written_idx", "columns": ["user_id", "written_at"], "unique": false, "using": "btree"}]}, {"name": "tags", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "label", "type": "varchar(50)", "nullable": false}], "primary_key": {"columns": ["id"]}, "indexes": [{"name": "tags_label_key", "columns": ["label"], "unique": true, "using": "btree"}]}, {"name": "users", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"}, {"name": "org_id", "type": "bigint", "nullable": false}, {"name": "email", "type": "varchar(255)", "nullable": false}, {"name": "display_name", "type": "text", "nullable": true}, {"name": "age", "type": "smallint", "nullable": true}, {"name": "logins", "type": "integer", "nullable": false, "default": "0"}, {"name": "rating", "type": "real", "nullable": true}, {"name": "score", "type": "double", "nullable": true}, {"name": "balance", "type": "numeric(12,2)", "nullable": false, "default": "0"}, {"name": "country", "type": "char(2)", "nullable": true}, {"name": "avatar", "type": "bytes", "nullable": true}, {"name": "born", "type": "date", "nullable": true}, {"name": "wakes_at", "type": "time", "nullable": true}, {"name": "token", "type": "uuid", "nullable": true}, {"name": "settings", "type": "json", "nullable": false, "default": "''{}''"}, {"name": "meta", "type": "json", "nullable": true}, {"name": "status", "type": "varchar(20)", "nullable": false, "default": "''active''"}], "primary_key": {"columns": ["id"]}, "unique": [{"columns": ["org_id", "email"]}], "foreign_keys": [{"columns": ["org_id"], "ref_table": "orgs", "ref_columns": ["id"], "on_delete": "cascade", "on_update": "no action"}], "indexes": [{"name": "users_born_idx", "columns": ["born"], "unique": false, "using": "btree"}, {"name": "users_org_status_idx", "columns": ["org_id", "status"], "unique": false, "using": "btree"}, {"name": "users_token_key", "columns": ["token"], "unique": true, "using": "btree"}]}]}'
CREATE SCHEMA par_target;
SET search_path = par_target, public;
SELECT premix_migrate(:'target') ->> 'applied' AS applied;
SELECT premix_parity(premix_schema(), :'sqlite_target') AS postgresql_vs_sqlite;
SELECT premix_parity(:'sqlite_target', premix_schema()) AS sqlite_vs_postgresql;
SELECT premix_parity(premix_schema(), premix_schema()) AS itself;

-- -------------------------------- cross-dialect equivalences (hand DDL)
-- bigint and integer vs SQLite INTEGER; jsonb and json vs JSON and a
-- json_valid CHECK; 'x'::text vs 'x'; CURRENT_TIMESTAMP and now() vs
-- current_timestamp; true/false vs 1/0; serial and identity vs
-- AUTOINCREMENT.  The SQLite side:
--   CREATE TABLE e_serial (id INTEGER PRIMARY KEY AUTOINCREMENT, n integer,
--     m INTEGER, j JSON, s TEXT DEFAULT 'x', ts TIMESTAMP DEFAULT
--     current_timestamp, b BOOLEAN DEFAULT 1);
--   CREATE TABLE e_identity (id INTEGER PRIMARY KEY AUTOINCREMENT, at TIMESTAMP
--     NOT NULL DEFAULT CURRENT_TIMESTAMP, j TEXT CHECK (json_valid(j)),
--     ok BOOLEAN NOT NULL DEFAULT 0);
\set sqlite_equiv '{"format": 1, "dialect": "sqlite", "tables": [{"name": "e_identity", "columns": [{"name": "id", "type": "integer", "nullable": true, "identity": "by default"}, {"name": "at", "type": "timestamp", "nullable": false, "default": "current_timestamp"}, {"name": "j", "type": "json", "nullable": true}, {"name": "ok", "type": "BOOLEAN", "nullable": false, "default": "0"}], "primary_key": {"columns": ["id"]}}, {"name": "e_serial", "columns": [{"name": "id", "type": "integer", "nullable": true, "identity": "by default"}, {"name": "n", "type": "integer", "nullable": true}, {"name": "m", "type": "integer", "nullable": true}, {"name": "j", "type": "JSON", "nullable": true}, {"name": "s", "type": "text", "nullable": true, "default": "''x''"}, {"name": "ts", "type": "timestamp", "nullable": true, "default": "current_timestamp"}, {"name": "b", "type": "BOOLEAN", "nullable": true, "default": "1"}], "primary_key": {"columns": ["id"]}}]}'
CREATE SCHEMA par_equiv;
SET search_path = par_equiv, public;
CREATE TABLE e_serial (id serial PRIMARY KEY, n bigint, m integer, j jsonb, s text DEFAULT 'x',
                       ts timestamp DEFAULT CURRENT_TIMESTAMP, b boolean DEFAULT true);
CREATE TABLE e_identity (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                         at timestamp NOT NULL DEFAULT now(), j json, ok boolean NOT NULL DEFAULT false);
SELECT premix_parity(premix_schema(), :'sqlite_equiv') AS postgresql_vs_sqlite;
SELECT premix_parity(:'sqlite_equiv', premix_schema()) AS sqlite_vs_postgresql;

-- ------------------------------------------------ every kind of mismatch
-- one table per kind; A = this PostgreSQL schema, B = the SQLite document
\set sqlite_kinds '{"format": 1, "dialect": "sqlite", "tables": [{"name": "k_boolean", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "flag", "type": "integer", "nullable": true}], "primary_key": {"columns": ["id"]}}, {"name": "k_column", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "extra", "type": "text", "nullable": true}], "primary_key": {"columns": ["id"]}}, {"name": "k_default", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "status", "type": "text", "nullable": false, "default": "''new''"}], "primary_key": {"columns": ["id"]}}, {"name": "k_fk", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "parent_id", "type": "integer", "nullable": true}], "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["parent_id"], "ref_table": "k_parent", "ref_columns": ["id"], "on_delete": "cascade", "on_update": "no action"}]}, {"name": "k_identity", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}, {"name": "k_index", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "x", "type": "integer", "nullable": true}, {"name": "y", "type": "integer", "nullable": true}, {"name": "z", "type": "integer", "nullable": true}], "primary_key": {"columns": ["id"]}, "indexes": [{"name": "k_index_x_idx", "columns": ["x"], "unique": false, "using": "btree"}, {"name": "k_index_xy_idx", "columns": ["x", "y"], "unique": false, "using": "btree"}, {"name": "k_index_z_idx", "columns": ["z"], "unique": true, "using": "btree"}]}, {"name": "k_nullable", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "note", "type": "text", "nullable": false}], "primary_key": {"columns": ["id"]}}, {"name": "k_numeric", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "price", "type": "numeric(10,2)", "nullable": true}, {"name": "rate", "type": "numeric(10,2)", "nullable": true}], "primary_key": {"columns": ["id"]}}, {"name": "k_parent", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}, {"name": "k_pk", "columns": [{"name": "a", "type": "integer", "nullable": false}, {"name": "b", "type": "integer", "nullable": false}], "primary_key": {"columns": ["a"]}}, {"name": "k_text_varchar", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "code", "type": "text", "nullable": true}], "primary_key": {"columns": ["id"]}}, {"name": "k_timestamptz", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "at", "type": "text", "nullable": true}], "primary_key": {"columns": ["id"]}}, {"name": "k_unique", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "code", "type": "text", "nullable": true}], "primary_key": {"columns": ["id"]}, "unique": [{"columns": ["code"]}]}, {"name": "k_varchar", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "code", "type": "varchar(50)", "nullable": true}], "primary_key": {"columns": ["id"]}}, {"name": "only_sqlite", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}]}'
CREATE SCHEMA par_kinds;
SET search_path = par_kinds, public;
CREATE TABLE only_pg (id integer PRIMARY KEY);
CREATE TABLE k_column (id integer PRIMARY KEY, other text);
CREATE TABLE k_nullable (id integer PRIMARY KEY, note text);
CREATE TABLE k_default (id integer PRIMARY KEY, status text NOT NULL DEFAULT 'old');
CREATE TABLE k_varchar (id integer PRIMARY KEY, code varchar(80));
CREATE TABLE k_text_varchar (id integer PRIMARY KEY, code varchar(20));
CREATE TABLE k_numeric (id integer PRIMARY KEY, price numeric(12,2), rate numeric(10,4));
CREATE TABLE k_boolean (id integer PRIMARY KEY, flag boolean);
CREATE TABLE k_timestamptz (id integer PRIMARY KEY, at timestamptz);
CREATE TABLE k_identity (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
CREATE TABLE k_pk (a integer, b integer, PRIMARY KEY (a, b));
CREATE TABLE k_unique (id integer PRIMARY KEY, code text);
CREATE TABLE k_parent (id integer PRIMARY KEY);
CREATE TABLE k_fk (id integer PRIMARY KEY, parent_id integer REFERENCES k_parent (id) ON DELETE RESTRICT);
CREATE TABLE k_index (id integer PRIMARY KEY, x integer, y integer, z integer);
CREATE INDEX k_index_yx_idx ON k_index (y, x);
CREATE INDEX k_index_z_idx ON k_index (z);
SELECT m->>'path' AS path, m->>'a' AS a, m->>'b' AS b, m->>'why' AS why
  FROM jsonb_array_elements(premix_parity(premix_schema(), :'sqlite_kinds')) m;
-- swapped: the same mismatches, a and b exchanged, "only in A" <-> "only in B"
SELECT m->>'path' AS path, m->>'a' AS a, m->>'b' AS b, m->>'why' AS why
  FROM jsonb_array_elements(premix_parity(:'sqlite_kinds', premix_schema())) m;

-- ---------------------------------------- PostgreSQL vs PostgreSQL widths
-- a wider integer or float is a difference between two PostgreSQL schemas
-- (SQLite stores every integer and every float in 64 bits: none there)
CREATE SCHEMA par_narrow;
CREATE SCHEMA par_wide;
CREATE TABLE par_narrow.w (n integer, s smallint, f real, v varchar(10));
CREATE TABLE par_wide.w (n bigint, s serial, f double precision, v varchar(20));
SELECT m->>'path' AS path, m->>'a' AS a, m->>'b' AS b, m->>'why' AS why
  FROM jsonb_array_elements(premix_parity(premix_schema('{"schemas": ["par_narrow"]}'),
                                          premix_schema('{"schemas": ["par_wide"]}'))) m;
SELECT premix_parity(premix_schema('{"schemas": ["par_narrow"]}'),
  '{"format": 1, "dialect": "sqlite", "tables": [{"name": "w", "columns": [{"name": "n", "type": "bigint"}, {"name": "s", "type": "smallint"}, {"name": "f", "type": "double"}, {"name": "v", "type": "varchar(10)"}]}]}') AS narrow_vs_sqlite;

-- ---------------------------------------------------------- bad input
\set VERBOSITY default
-- STRICT: a NULL argument gives NULL, the function is not called
SELECT premix_parity(NULL, premix_schema()) IS NULL AS a_null, premix_parity(premix_schema(), NULL) IS NULL AS b_null;
-- malformed JSON is refused by jsonb input, which says where
SELECT premix_parity('{"dialect": "sqlite", "tables": [', premix_schema());
SELECT premix_parity(premix_schema(), '{"dialect": "sqlite",
  "tables": [{"name": "t" "columns": []}]}');
SELECT premix_parity('{"tables": []}', premix_schema());
SELECT premix_parity(premix_schema(), '{"dialect": 5, "tables": []}');
SELECT premix_parity('{"dialect": "oracle", "tables": []}', premix_schema());
SELECT premix_parity(premix_schema(), '[1, 2]');
SELECT premix_parity('{"dialect": "sqlite", "tables": [{"name": "t", "colums": []}]}', premix_schema());
\set VERBOSITY terse
SELECT premix_parity('{"dialect": "sqlite", "tables": []}', '{"dialect": "postgresql", "tables": []}') AS empty_both;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA par_target, par_equiv, par_kinds, par_narrow, par_wide CASCADE;
RESET client_min_messages;
