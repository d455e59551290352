-- diff_kinds: every kind of difference premix knows, with its PostgreSQL
-- lock level and whether it rewrites; after the migrate the schema is the
-- target (the re-diff is empty) and the rows are still there.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_kinds;
SET search_path = t_kinds, public;

CREATE TABLE parent (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE kid (
  id integer NOT NULL,
  pid integer REFERENCES parent (id),
  name varchar(20) NOT NULL DEFAULT 'x',
  n smallint,
  label text COLLATE "C",
  gone_default text DEFAULT 'd',
  made_nullable text NOT NULL,
  auto integer,
  CONSTRAINT kid_n_check CHECK (n > 0)
);
CREATE INDEX kid_name_idx ON kid (name);
CREATE INDEX kid_old_idx ON kid (n);
CREATE TABLE doomed (id integer);
COMMENT ON TABLE kid IS 'old words';
COMMENT ON COLUMN kid.name IS 'a name';
INSERT INTO parent VALUES (1, 'a');
INSERT INTO kid VALUES (1, 1, 'one', 1, 'l', 'd', 'm', 7);

CREATE TEMP TABLE target AS SELECT $$ {"tables":[
 {"name":"parent","columns":[{"name":"id","type":"integer","nullable":false},{"name":"code","type":"text"}],
  "primary_key":{"columns":["id"]}},
 {"name":"kid","comment":"new words","columns":[
   {"name":"id","type":"integer","nullable":false,"comment":"the key"},
   {"name":"pid","type":"integer"},
   {"name":"name","type":"varchar(40)","nullable":false,"default":"'y'"},
   {"name":"n","type":"bigint"},
   {"name":"label","type":"text"},
   {"name":"gone_default","type":"text"},
   {"name":"made_nullable","type":"text"},
   {"name":"auto","type":"integer","nullable":false,"identity":"by default"},
   {"name":"extra","type":"jsonb","nullable":false,"default":"'{}'"}],
  "primary_key":{"columns":["id"]},
  "unique":[{"columns":["name"]}],
  "foreign_keys":[{"columns":["pid"],"ref_table":"parent","ref_columns":["id"],"on_delete":"cascade"}],
  "checks":[{"name":"kid_n_check2","expression":"n >= 0"}],
  "indexes":[{"name":"kid_name_idx","columns":["name"]},
             {"name":"kid_lower_idx","columns":["lower(label)"],"where":"n > 0"},
             {"name":"kid_extra_gin","columns":["extra"],"using":"gin"}]},
 {"name":"fresh","comment":"brand new","columns":[{"name":"id","type":"bigint","nullable":false,"identity":"always"},
                            {"name":"kid_id","type":"integer","nullable":false}],
  "primary_key":{"columns":["id"]},
  "foreign_keys":[{"columns":["kid_id"],"ref_table":"kid","ref_columns":["id"],"on_delete":"restrict"}],
  "indexes":[{"name":"fresh_kid_idx","columns":["kid_id"]}]}
]} $$::jsonb AS t;

SELECT s->>'op' AS op, s->>'object' AS object, s->>'safety' AS safety, s->>'lock' AS lock,
       s->>'rewrite' AS rewrite, s->>'reversible' AS reversible
  FROM target, jsonb_array_elements(premix_diff(t)->'steps') s;
\pset format unaligned
\pset tuples_only on
SELECT premix_preview(t) FROM target;
\pset format aligned
\pset tuples_only off
SELECT premix_migrate(t, true) ->> 'applied' AS applied FROM target;
SELECT premix_diff(t) -> 'steps' AS rediff FROM target;
SELECT * FROM kid;
\d kid
SELECT obj_description('t_kinds.kid'::regclass, 'pg_class') AS kid, obj_description('t_kinds.fresh'::regclass, 'pg_class') AS fresh,
       col_description('t_kinds.kid'::regclass, 1) AS kid_id, col_description('t_kinds.kid'::regclass, 3) AS kid_name;

-- identity added to a column that has rows: the sequence continues after
-- the largest value, so the next insert does not collide with the rows
CREATE TABLE ident (id integer NOT NULL PRIMARY KEY, v text);
INSERT INTO ident VALUES (1, 'a'), (5, 'b');
SELECT premix_migrate('{"tables": [{"name": "ident", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"}, {"name": "v", "type": "text"}], "primary_key": {"name": "ident_pkey", "columns": ["id"]}}]}', false, '{"scope": "listed"}') ->> 'applied' AS applied;
INSERT INTO ident (v) VALUES ('c') RETURNING id;
