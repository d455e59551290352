.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- idempotence: migrating to a target the schema already matches does nothing
-- and records nothing; a plan made against another schema (stale) is refused;
-- the ledger premix_migrations has exactly one row per real apply.
-- Targets and plans are bound parameters: premix_* runs as a statement of its own.
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@t0', '{"tables":[
 {"name":"notes","columns":[{"name":"id","type":"integer"},{"name":"body","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@t1', '{"tables":[
 {"name":"notes","columns":[{"name":"id","type":"integer"},{"name":"body","type":"text"},{"name":"tag","type":"text"}],"primary_key":{"columns":["id"]},
  "indexes":[{"name":"notes_tag_idx","columns":["tag"]}]}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@t2', '{"tables":[
 {"name":"notes","columns":[{"name":"id","type":"integer"},{"name":"body","type":"text"},{"name":"tag","type":"text"},{"name":"pinned","type":"boolean","nullable":false,"default":"0"}],"primary_key":{"columns":["id"]},
  "indexes":[{"name":"notes_tag_idx","columns":["tag"]}]}]}');

-- ---- migrate twice: the second call applies 0 steps and writes no ledger row
-- (json_each reads the one result object; these plans rebuild no table)
SELECT 'first migrate', key, value FROM json_each(premix_migrate(@t0)) WHERE key IN ('applied', 'ledger_id', 'message');
INSERT INTO notes VALUES (1,'hello'),(2,'world');
SELECT 'second migrate', key, value FROM json_each(premix_migrate(@t0)) WHERE key IN ('applied', 'ledger_id', 'message');
SELECT 'ledger rows after migrating twice', count(*) FROM premix_migrations;
SELECT 'diff of the same target is empty', json_array_length(premix_diff(@t0),'$.steps') = 0;
SELECT premix_preview(@t0);

-- ---- the same plan applied twice: the second apply has nothing to do
INSERT INTO temp.sqlite_parameters SELECT '@p1', premix_diff(@t1);
SELECT 'plan p1', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety') FROM json_each(@p1,'$.steps');
SELECT 'apply p1', key, value FROM json_each(premix_apply(@p1)) WHERE key IN ('applied', 'ledger_id', 'message');
SELECT 'apply p1 again', key, value FROM json_each(premix_apply(@p1)) WHERE key IN ('applied', 'ledger_id', 'message');
SELECT 'ledger rows after applying p1 twice', count(*) FROM premix_migrations;
SELECT 'rows intact', group_concat(id || ':' || body || ':' || ifnull(tag, 'NULL'), ',') FROM notes;

-- ---- a stale plan: made, then the schema changes by hand: refused (40001)
INSERT INTO temp.sqlite_parameters SELECT '@p2', premix_diff(@t2);
SELECT 'plan p2', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety') FROM json_each(@p2,'$.steps');
ALTER TABLE notes ADD COLUMN by_hand TEXT;
CREATE TEMP TABLE snap AS SELECT premix_schema() AS s;
SELECT premix_apply(@p2);
SELECT 'stale: schema unchanged', premix_schema() = s FROM snap;
SELECT 'stale: pinned not added', count(*) = 0 FROM pragma_table_info('notes') WHERE name = 'pinned';
SELECT 'stale: no ledger row (still 2)', count(*) = 2 FROM premix_migrations;
-- a fresh plan against the schema as it is now applies (by_hand is dropped: destructive)
SELECT 'fresh plan', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety') FROM json_each(premix_diff(@t2),'$.steps') ORDER BY 2, 3;
SELECT 'fresh plan: applied', json_extract(premix_apply(premix_diff(@t2), 1),'$.applied');
SELECT 'fresh plan: re-diff empty', json_array_length(premix_diff(@t2),'$.steps') = 0;
SELECT 'rows intact', group_concat(id || ':' || body || ':' || ifnull(tag, 'NULL') || ':' || pinned, ',') FROM notes;

-- ---- a plan whose target was reached by other means: nothing to do
INSERT INTO temp.sqlite_parameters SELECT '@p3', premix_diff(@t1, '{"scope":"listed"}');
SELECT 'plan p3 (drop pinned)', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety') FROM json_each(@p3,'$.steps');
ALTER TABLE notes DROP COLUMN pinned;
SELECT 'p3 after the same change by hand: applied', json_extract(premix_apply(@p3, 1),'$.applied');
SELECT 'p3 after the same change by hand: message', json_extract(premix_apply(@p3, 1),'$.message');

-- ---- the ledger: one row per real apply, SHA-256 checksum, up and down SQL
SELECT 'ledger rows', count(*) FROM premix_migrations;
SELECT 'ledger', id, name, steps,
       length(checksum) = 64 AND checksum NOT GLOB '*[^0-9a-f]*',
       length(version) = 14 AND version NOT GLOB '*[^0-9]*',
       applied_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*',
       length(from_fingerprint) = 64, length(to_fingerprint) = 64
  FROM premix_migrations ORDER BY id;
SELECT 'ledger checksums differ', count(DISTINCT checksum) = count(*) FROM premix_migrations;
SELECT 'ledger up ' || id || ':', up_sql FROM premix_migrations ORDER BY id;
SELECT 'ledger down ' || id || ':', down_sql FROM premix_migrations ORDER BY id;
SELECT 'ledger is not part of the schema', instr(premix_schema(), 'premix_migrations') = 0;
