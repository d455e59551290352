.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- hostile: identifiers with quotes, semicolons, spaces, comment markers and
-- non-ASCII letters are created literally and survive renames and
-- rebuilds; expressions that try to smuggle a second statement are refused
-- and nothing is created or dropped.
.parameter init
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO users VALUES (1, 'root');

-- ------------------------------------------------------ 1. create literally
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$t1', '{"tables":[
 {"name":"users","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"naïve","columns":[
   {"name":"id","type":"integer","identity":"by default"},
   {"name":"a\"b","type":"text","default":"''it''''s''"},
   {"name":"it''s","type":"varchar(20)"},
   {"name":"DROP TABLE x; --","type":"integer","nullable":false,"default":"0"},
   {"name":"ta;ble","type":"text"},
   {"name":"sp ace","type":"text"},
   {"name":"/* c */","type":"text"}],
  "primary_key":{"columns":["id"]},
  "checks":[{"name":"c \"1\"; DROP TABLE users; --","expression":"\"ta;ble\" <> '';'' OR \"ta;ble\" IS NULL"}],
  "indexes":[{"name":"ix \"q\"; DROP TABLE users","columns":["a\"b"]},
             {"name":"ünï","columns":["it''s","ta;ble"],"unique":true},
             {"name":"ix''--","columns":["lower(\"sp ace\")"],"where":"\"DROP TABLE x; --\" > 0"}]},
 {"name":"ta;ble","columns":[
   {"name":"id","type":"integer"},
   {"name":"naïve_id","type":"integer"}],
  "primary_key":{"columns":["id"]},
  "foreign_keys":[{"name":"fk\"; DROP TABLE users","columns":["naïve_id"],"ref_table":"naïve","ref_columns":["id"],"on_delete":"cascade"}]}]}');
SELECT premix_preview($t1);
SELECT 'applied steps', json_extract(premix_migrate($t1), '$.applied');
SELECT 'object', type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name;
SELECT 'column', cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info('naïve');
SELECT 'index', name, "unique", partial FROM pragma_index_list('naïve') ORDER BY name;
SELECT 'index column', il.name, ii.seqno, coalesce(ii.name, '<expr>') FROM pragma_index_list('naïve') il, pragma_index_info(il.name) ii ORDER BY il.name, ii.seqno;
SELECT 'fk', "table", "from", "to", on_delete FROM pragma_foreign_key_list('ta;ble');
SELECT 'users still there', count(*) FROM users;
SELECT 'schema round trip: diff empty', json_array_length(premix_diff(premix_schema()), '$.steps');
SELECT 'schema names', json_extract(premix_schema(), '$.tables[0].name'), json_extract(premix_schema(), '$.tables[0].checks[0].name'), json_extract(premix_schema(), '$.tables[1].foreign_keys[0].name');
INSERT INTO "naïve" ("it's", "ta;ble", "sp ace") VALUES ('x', 'y', 'Z'), ('w', NULL, NULL);
INSERT INTO "naïve" ("ta;ble") VALUES (';');
SELECT 'the check refused ";"', count(*) = 0 FROM "naïve" WHERE "ta;ble" = ';';
INSERT INTO "ta;ble" VALUES (1, 1), (2, 2);
SELECT 'rows', id, "a""b", "it's", "DROP TABLE x; --", "ta;ble", "sp ace" FROM "naïve" ORDER BY id;

-- ---------------------------------------------- 2. renames of hostile names
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$t2', replace(replace(replace(replace($t1,
  '{"name":"naïve","columns"', '{"name":"naïve \"2\"; --","renamed_from":"naïve","columns"'),
  '{"name":"it''s","type":"varchar(20)"}', '{"name":"it''s \"new\"","type":"varchar(20)","renamed_from":"it''s"}'),
  '"columns":["it''s","ta;ble"]', '"columns":["it''s \"new\"","ta;ble"]'),
  '"ref_table":"naïve"', '"ref_table":"naïve \"2\"; --"');
SELECT premix_preview($t2);
SELECT 'applied steps', json_extract(premix_migrate($t2), '$.applied');
SELECT 'table', name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'premix_%' AND name NOT LIKE 'sqlite_%' ORDER BY name;
SELECT 'column', name FROM pragma_table_info('naïve "2"; --') ORDER BY cid;
SELECT 'fk now points at', "table" FROM pragma_foreign_key_list('ta;ble');
SELECT 'rows kept', count(*) FROM "naïve ""2""; --";
SELECT 'values kept', group_concat(quote("it's ""new"""), ',') FROM "naïve ""2""; --";
SELECT 'diff empty', json_array_length(premix_diff($t2), '$.steps');

-- ----------------------------------------------- 3. a rebuild of hostile names
CREATE TABLE "log;" ("what ""?" TEXT);
CREATE TRIGGER "trïg ""x""; --" AFTER INSERT ON "naïve ""2""; --" BEGIN INSERT INTO "log;" VALUES ('ins ' || new."ta;ble"); END;
CREATE VIEW "v;iew" AS SELECT "it's ""new""" AS "v ""1""" FROM "naïve ""2""; --";
INSERT INTO temp.sqlite_parameters (key, value) SELECT '$t3', replace(replace($t2,
  '{"name":"sp ace","type":"text"}', '{"name":"sp ace","type":"text","nullable":false,"default":"''-- not a comment''"}'),
  '"checks":[', '"checks":[{"name":"ch;eck \"2\"","expression":"length(\"it''s \"\"new\"\"\") < 10"},');
SELECT 'plan', group_concat(op || ' ' || tbl, ', ') FROM (SELECT json_extract(value, '$.op') AS op, json_extract(value, '$.table') AS tbl FROM json_each(premix_diff($t3, '{"scope":"listed"}'), '$.steps'));
SELECT 'applied steps', json_extract(premix_migrate($t3, false, '{"scope":"listed"}'), '$.applied');
SELECT 'rows kept', count(*) FROM "naïve ""2""; --";
SELECT 'backfilled', group_concat(quote("sp ace"), ',') FROM (SELECT "sp ace" FROM "naïve ""2""; --" ORDER BY id);
SELECT 'indexes kept', group_concat(name, ' | ') FROM (SELECT name FROM pragma_index_list('naïve "2"; --') ORDER BY name);
SELECT 'check', json_extract(c.value, '$.name'), json_extract(c.value, '$.expression')
  FROM json_each(premix_schema(), '$.tables') t, json_each(t.value, '$.checks') c
  WHERE json_extract(t.value, '$.name') = 'naïve "2"; --' ORDER BY 2;
SELECT 'columns', group_concat(name || ' ' || "notnull" || ' ' || coalesce(dflt_value, '-'), ' | ') FROM pragma_table_info('naïve "2"; --');
INSERT INTO "naïve ""2""; --" ("ta;ble") VALUES ('fired');
SELECT 'trigger fired', "what ""?" FROM "log;";
SELECT 'view works', count(*) FROM "v;iew";
SELECT 'children kept', count(*) FROM "ta;ble";
SELECT 'integrity', * FROM pragma_integrity_check;

-- ------------------------------------ 4. attempts to smuggle a second statement
CREATE TEMP TABLE catalog0 AS SELECT type, name, tbl_name, sql FROM main.sqlite_schema;
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer","default":"1); DROP TABLE users; --"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer","default":"1; DROP TABLE users"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer","default":"0, x TEXT"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}],"checks":[{"name":"c","expression":"id > 0); DROP TABLE users; --"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}],"checks":[{"name":"c","expression":"id > 0 /* unterminated"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}],"checks":[{"name":"c","expression":"id > '')); DROP TABLE users; --"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}],"checks":[{"name":"c","expression":"id > ''ééééééééééééé"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}],"indexes":[{"columns":["id"],"where":"id > 0; DROP TABLE users"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}],"indexes":[{"columns":["lower(id)); DROP TABLE users; --"]}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer","collation":"nocase; DROP TABLE users"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('{"tables":[{"name":"t","columns":[{"name":"id","type":"integer); CREATE TABLE evil (x); --"}]}]}', false, '{"scope":"listed"}');
SELECT premix_migrate('CREATE TABLE t (id INTEGER); DROP TABLE users', false, '{"scope":"listed"}');
SELECT 'no table t or evil', count(*) = 0 FROM sqlite_schema WHERE name IN ('t', 'evil');
SELECT 'users intact', count(*) FROM users;
SELECT 'catalog unchanged', (SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT * FROM catalog0))
                          + (SELECT count(*) FROM (SELECT * FROM catalog0 EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)) = 0;

-- --------------------------------- 5. non-ASCII text in a plan's warnings
-- A rebuilt table's trigger is quoted (shortened) in the plan's warnings;
-- shortening must not cut a multi-byte character in half, or the plan is
-- no longer valid UTF-8 and premix_apply cannot read premix_diff's output.
CREATE TABLE "fête" (id INTEGER PRIMARY KEY, "ça" TEXT);
CREATE TRIGGER "fête_ins" AFTER INSERT ON "fête" BEGIN SELECT 'éééééééééééééééééééééééééééééééééééééééé'; END;
INSERT INTO "fête" VALUES (1, 'oui');
INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$t5', '{"tables":[{"name":"fête","columns":[{"name":"id","type":"integer"},{"name":"ça","type":"text","nullable":false}],"primary_key":{"columns":["id"]}}]}');
SELECT 'plan of a table with a non-ASCII trigger applies', json_extract(premix_apply(premix_diff($t5, '{"scope":"listed"}')), '$.applied');
SELECT 'rebuilt: ça is NOT NULL', "notnull" FROM pragma_table_info('fête') WHERE name = 'ça';
SELECT 'trigger kept', count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'fête_ins';
