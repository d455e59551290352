.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- not_null: NOT NULL over existing NULLs is blocked unless the target declares
-- a default to backfill them; a new NOT NULL column needs a default when the
-- table has rows.
-- Targets are bound parameters: premix_migrate runs as a statement of its own.
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@t0', '{"tables":[
 {"name":"items","columns":[{"name":"id","type":"integer"},{"name":"status","type":"text"},{"name":"note","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'created', json_extract(premix_migrate(@t0),'$.applied');
INSERT INTO items VALUES (1,'open','n1'),(2,NULL,'n2'),(3,'done',NULL),(4,NULL,'n4'),(5,NULL,NULL);
CREATE TEMP TABLE snap AS SELECT premix_schema() AS s, (SELECT group_concat(id || ':' || ifnull(status, 'NULL') || ':' || ifnull(note, 'NULL'), ',') FROM items) AS rows_before;

-- ---- SET NOT NULL over 3 NULLs, no default: blocked
INSERT INTO temp.sqlite_parameters VALUES ('@nodefault', '{"tables":[
 {"name":"items","columns":[{"name":"id","type":"integer"},{"name":"status","type":"text","nullable":false},{"name":"note","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'no default', json_extract(value,'$.op'), json_extract(value,'$.safety'), json_extract(value,'$.sqlstate')
  FROM json_each(premix_diff(@nodefault),'$.steps');
SELECT 'no default: part', json_extract(p.value,'$.op'), json_extract(p.value,'$.object'), json_extract(p.value,'$.safety'), json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@nodefault),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT 'no default: hint', json_extract(value,'$.hint') FROM json_each(premix_diff(@nodefault),'$.steps');
SELECT 'no default: plan flags (destructive, blocked)', json_extract(premix_diff(@nodefault),'$.destructive'), json_extract(premix_diff(@nodefault),'$.blocked');
SELECT premix_migrate(@nodefault);
-- allow_destructive does not unblock a blocked step
SELECT premix_migrate(@nodefault, 1);
SELECT 'no default: schema unchanged', premix_schema() = s FROM snap;
SELECT 'no default: rows unchanged', (SELECT group_concat(id || ':' || ifnull(status, 'NULL') || ':' || ifnull(note, 'NULL'), ',') FROM items) = rows_before FROM snap;

-- ---- the same with a default: the NULLs are backfilled, other values untouched
INSERT INTO temp.sqlite_parameters VALUES ('@withdefault', '{"tables":[
 {"name":"items","columns":[{"name":"id","type":"integer"},{"name":"status","type":"text","nullable":false,"default":"''new''"},{"name":"note","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'with default', json_extract(value,'$.op'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@withdefault),'$.steps');
SELECT 'with default: part', json_extract(p.value,'$.op'), json_extract(p.value,'$.object'), json_extract(p.value,'$.safety'), json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@withdefault),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_preview(@withdefault);
SELECT 'with default: applied', json_extract(premix_migrate(@withdefault),'$.applied');
SELECT 'with default: rows', group_concat(id || ':' || status || ':' || ifnull(note, 'NULL'), ',') FROM items;
SELECT 'with default: no NULL left', count(*) = 0 FROM items WHERE status IS NULL;
SELECT 'with default: re-diff empty', json_array_length(premix_diff(@withdefault),'$.steps') = 0;
INSERT OR IGNORE INTO items(id, status) VALUES (6, NULL);
SELECT 'with default: NOT NULL enforced', changes() = 0;
INSERT INTO items(id) VALUES (6);
SELECT 'with default: default used on insert', status FROM items WHERE id = 6;

-- ---- backfill with an expression default
INSERT INTO temp.sqlite_parameters VALUES ('@exprdefault', '{"tables":[
 {"name":"items","columns":[{"name":"id","type":"integer"},{"name":"status","type":"text","nullable":false,"default":"''new''"},{"name":"note","type":"text","nullable":false,"default":"upper(''none'')"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'expression default', json_extract(p.value,'$.op'), json_extract(p.value,'$.object'), json_extract(p.value,'$.safety'), json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@exprdefault),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT 'expression default: applied', json_extract(premix_migrate(@exprdefault),'$.applied');
SELECT 'expression default: rows', group_concat(id || ':' || status || ':' || note, ',') FROM items;
SELECT 'expression default: re-diff empty', json_array_length(premix_diff(@exprdefault),'$.steps') = 0;

-- ---- a new NOT NULL column without a default on a table with rows: blocked
INSERT INTO temp.sqlite_parameters VALUES ('@newcol', '{"tables":[
 {"name":"items","columns":[{"name":"id","type":"integer"},{"name":"status","type":"text","nullable":false,"default":"''new''"},{"name":"note","type":"text","nullable":false,"default":"upper(''none'')"},
  {"name":"prio","type":"integer","nullable":false}],"primary_key":{"columns":["id"]}}]}');
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema(), (SELECT group_concat(id || ':' || status || ':' || note, ',') FROM items);
SELECT 'new column', json_extract(value,'$.op'), json_extract(value,'$.safety'), json_extract(value,'$.sqlstate')
  FROM json_each(premix_diff(@newcol),'$.steps');
SELECT 'new column: part', json_extract(p.value,'$.op'), json_extract(p.value,'$.object'), json_extract(p.value,'$.safety'), json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@newcol),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@newcol);
SELECT 'new column: schema unchanged', premix_schema() = s FROM snap;
SELECT 'new column: rows unchanged', (SELECT group_concat(id || ':' || status || ':' || note, ',') FROM items) = rows_before FROM snap;

-- ---- the same column with a default: fine, every row gets it
INSERT INTO temp.sqlite_parameters VALUES ('@newcoldefault', '{"tables":[
 {"name":"items","columns":[{"name":"id","type":"integer"},{"name":"status","type":"text","nullable":false,"default":"''new''"},{"name":"note","type":"text","nullable":false,"default":"upper(''none'')"},
  {"name":"prio","type":"integer","nullable":false,"default":"3"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'new column with default', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@newcoldefault),'$.steps');
SELECT 'new column with default: applied', json_extract(premix_migrate(@newcoldefault),'$.applied');
SELECT 'new column with default: rows', group_concat(id || ':' || prio, ',') FROM items;
SELECT 'new column with default: re-diff empty', json_array_length(premix_diff(@newcoldefault),'$.steps') = 0;

-- ---- a new NOT NULL column without a default on an empty table: allowed
INSERT INTO temp.sqlite_parameters VALUES ('@empty0', '{"tables":[
 {"name":"tags","columns":[{"name":"id","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@empty1', '{"tables":[
 {"name":"tags","columns":[{"name":"id","type":"integer"},{"name":"label","type":"text","nullable":false}],"primary_key":{"columns":["id"]}}]}');
SELECT 'tags created', json_extract(premix_migrate(@empty0, 0, '{"scope":"listed"}'),'$.applied');
SELECT 'empty table', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason'), '-')
  FROM json_each(premix_diff(@empty1, '{"scope":"listed"}'),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'empty table: applied', json_extract(premix_migrate(@empty1, 0, '{"scope":"listed"}'),'$.applied');
SELECT 'empty table: label is NOT NULL', "notnull" FROM pragma_table_info('tags') WHERE name = 'label';

-- ---- the plan said "no NULL now"; a NULL arrives before the apply: refused
INSERT INTO temp.sqlite_parameters VALUES ('@race0', '{"tables":[
 {"name":"tags","columns":[{"name":"id","type":"integer"},{"name":"label","type":"text","nullable":false},{"name":"color","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@race1', '{"tables":[
 {"name":"tags","columns":[{"name":"id","type":"integer"},{"name":"label","type":"text","nullable":false},{"name":"color","type":"text","nullable":false}],"primary_key":{"columns":["id"]}}]}');
SELECT 'race: color added', json_extract(premix_migrate(@race0, 0, '{"scope":"listed"}'),'$.applied');
INSERT INTO tags VALUES (1, 'a', 'red');
INSERT INTO temp.sqlite_parameters SELECT '@raceplan', premix_diff(@race1, '{"scope":"listed"}');
SELECT 'race: planned as', json_extract(value,'$.op'), json_extract(value,'$.safety') FROM json_each(@raceplan,'$.steps');
INSERT INTO tags VALUES (2, 'b', NULL);
SELECT premix_apply(@raceplan);
SELECT 'race: color still nullable', "notnull" = 0 FROM pragma_table_info('tags') WHERE name = 'color';
SELECT 'race: rows kept', count(*) = 2 FROM tags;
SELECT 'integrity', * FROM pragma_integrity_check;
