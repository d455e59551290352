.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- drops: dropping a column or a table is destructive.  Without
-- allow_destructive the migration is refused (the error names the object, how
-- much it holds, and allow_destructive) and nothing changes; with it, it runs.
-- Targets are bound parameters: premix_migrate runs as a statement of its own.
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@t0', '{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"},{"name":"legacy","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"audit","columns":[{"name":"id","type":"integer"},{"name":"msg","type":"text"}],"primary_key":{"columns":["id"]}}]}');
-- users without legacy; audit kept
INSERT INTO temp.sqlite_parameters VALUES ('@dropcol', '{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"audit","columns":[{"name":"id","type":"integer"},{"name":"msg","type":"text"}],"primary_key":{"columns":["id"]}}]}');
-- users unchanged, audit not listed: audit is dropped (scope "all")
INSERT INTO temp.sqlite_parameters VALUES ('@droptab', '{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"},{"name":"legacy","type":"text"}],"primary_key":{"columns":["id"]}}]}');
-- both: users without legacy, no audit
INSERT INTO temp.sqlite_parameters VALUES ('@final', '{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'created', json_extract(premix_migrate(@t0),'$.applied');
INSERT INTO users VALUES (1,'ann','L1'),(2,'bob',NULL),(3,'cy','L3');
INSERT INTO audit VALUES (1,'a'),(2,'b');
CREATE TEMP TABLE snap AS SELECT premix_schema() AS s, (SELECT group_concat(id || ':' || name || ':' || ifnull(legacy, 'NULL'), ',') FROM users) AS users_rows, (SELECT group_concat(id || ':' || msg, ',') FROM audit) AS audit_rows;

-- ---- drop column: the plan
SELECT 'drop column', json_extract(value,'$.op'), json_extract(value,'$.table'), json_extract(value,'$.object'),
       json_extract(value,'$.safety'), json_extract(value,'$.reversible')
  FROM json_each(premix_diff(@dropcol),'$.steps');
SELECT 'drop column: plan flags (destructive, blocked)', json_extract(premix_diff(@dropcol),'$.destructive'), json_extract(premix_diff(@dropcol),'$.blocked');
SELECT premix_preview(@dropcol);
-- refused by premix_migrate (allow_destructive omitted, then 0) and by premix_apply
SELECT premix_migrate(@dropcol);
SELECT premix_migrate(@dropcol, 0);
SELECT premix_apply(premix_diff(@dropcol));
SELECT 'drop column refused: schema unchanged', premix_schema() = s FROM snap;
SELECT 'drop column refused: rows unchanged', (SELECT group_concat(id || ':' || name || ':' || ifnull(legacy, 'NULL'), ',') FROM users) = users_rows FROM snap;
SELECT 'drop column refused: no ledger row', count(*) = 1 FROM premix_migrations;

-- ---- drop table: the plan
SELECT 'drop table', json_extract(value,'$.op'), json_extract(value,'$.table'), json_extract(value,'$.object'),
       json_extract(value,'$.safety'), json_extract(value,'$.reversible')
  FROM json_each(premix_diff(@droptab),'$.steps') ORDER BY 2, 4;
SELECT premix_migrate(@droptab);
SELECT premix_apply(premix_diff(@droptab), 0);
SELECT 'drop table refused: schema unchanged', premix_schema() = s FROM snap;
SELECT 'drop table refused: rows unchanged', (SELECT group_concat(id || ':' || msg, ',') FROM audit) = audit_rows FROM snap;
SELECT 'drop table refused: no ledger row', count(*) = 1 FROM premix_migrations;

-- ---- scope "listed" leaves unlisted tables alone: only the column drop remains
SELECT 'listed', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@final, '{"scope":"listed"}'),'$.steps');
SELECT 'listed: nothing to drop for @droptab', json_array_length(premix_diff(@droptab, '{"scope":"listed"}'),'$.steps') = 0;

-- ---- the same refusal inside the caller's transaction leaves it usable
BEGIN;
INSERT INTO audit VALUES (3,'in tx');
SELECT premix_migrate(@droptab);
SELECT 'in transaction: own insert still there', count(*) = 1 FROM audit WHERE id = 3;
ROLLBACK;
SELECT 'in transaction: rolled back by the caller', count(*) = 2 FROM audit;

-- ---- allowed: drop the column
SELECT 'drop column allowed: applied', json_extract(premix_migrate(@dropcol, 1),'$.applied');
SELECT 'drop column allowed: legacy gone', count(*) = 0 FROM pragma_table_info('users') WHERE name = 'legacy';
SELECT 'drop column allowed: other values kept', group_concat(id || ':' || name, ',') FROM users;
SELECT 'drop column allowed: re-diff empty', json_array_length(premix_diff(@dropcol),'$.steps') = 0;

-- ---- allowed: drop the table (through premix_apply this time)
SELECT 'drop table allowed: applied', json_extract(premix_apply(premix_diff(@final), 1),'$.applied');
SELECT 'drop table allowed: audit gone', count(*) = 0 FROM sqlite_schema WHERE name = 'audit';
SELECT 'drop table allowed: users kept', count(*) = 3 FROM users;
SELECT 'drop table allowed: re-diff empty', json_array_length(premix_diff(@final),'$.steps') = 0;
SELECT 'ledger rows (create, drop column, drop table)', count(*) FROM premix_migrations;
SELECT 'ledger steps', group_concat(steps, ',') FROM (SELECT steps FROM premix_migrations ORDER BY id);

-- ---- dropping an empty table or an all-NULL column is still a drop
INSERT INTO temp.sqlite_parameters VALUES ('@empty0', '{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"},{"name":"unused","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"scratch","columns":[{"name":"id","type":"integer"}]}]}');
SELECT 'empty created', json_extract(premix_migrate(@empty0),'$.applied');
SELECT 'empty', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety'), json_extract(value,'$.reason')
  FROM json_each(premix_diff(@final),'$.steps') ORDER BY 2, 3;
SELECT premix_migrate(@final);
SELECT 'empty: allowed', json_extract(premix_migrate(@final, 1),'$.applied');
SELECT 'empty: re-diff empty', json_array_length(premix_diff(@final),'$.steps') = 0;
SELECT 'integrity', * FROM pragma_integrity_check;
