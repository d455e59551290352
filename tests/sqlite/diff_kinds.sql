.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- diff_kinds: every kind of difference shows up as the right op and safety
-- class, applies, leaves an empty re-diff, and keeps the rows.
--
-- Targets are kept in bound parameters (temp.sqlite_parameters): premix_migrate
-- has to be called as a statement of its own, because SQLite refuses DROP TABLE
-- (needed by every rebuild) while the calling statement reads a table.
--
-- Step lines read: kind|op|object|safety|part (the changes a rebuild_table
-- carries, "op object safety"; "-" for a step that is not a rebuild).
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@listed', '{"scope":"listed"}');

-- ================================================== create table / drop table
INSERT INTO temp.sqlite_parameters VALUES ('@tables0', '{"tables":[
 {"name":"keep","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"gone","columns":[{"name":"id","type":"integer"}]}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@tables1', '{"tables":[
 {"name":"keep","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"fresh","columns":[{"name":"id","type":"integer"},{"name":"x","type":"text"}],"indexes":[{"columns":["x"]}]}]}');
SELECT 'create tables', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety')
  FROM json_each(premix_diff(@tables0),'$.steps') s;
SELECT 'create tables applied', json_extract(premix_migrate(@tables0),'$.applied');
INSERT INTO keep VALUES (1,'one'),(2,'two');
INSERT INTO gone VALUES (10),(11),(12);
SELECT 'create+drop', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety')
  FROM json_each(premix_diff(@tables1),'$.steps') s;
SELECT 'create+drop applied', json_extract(premix_migrate(@tables1, 1),'$.applied');
SELECT 'create+drop re-diff empty', json_array_length(premix_diff(@tables1),'$.steps') = 0;
SELECT 'gone is gone', count(*) = 0 FROM sqlite_schema WHERE name = 'gone';
SELECT 'fresh and its index exist', count(*) = 2 FROM sqlite_schema WHERE tbl_name = 'fresh';
SELECT 'keep rows', group_concat(id || '=' || v, ',') FROM keep;

-- ================================================== one table per kind
-- From here on every target names one table and uses scope "listed".
INSERT INTO temp.sqlite_parameters VALUES ('@init', '{"tables":[
 {"name":"k_cols","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"old","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_type","columns":[{"name":"id","type":"integer"},{"name":"w","type":"varchar(10)"},{"name":"n","type":"varchar(50)"},{"name":"i","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"k_null","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text","nullable":false},{"name":"b","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_def","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text","default":"''x''"},{"name":"b","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"k_coll","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_ident","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_pk","columns":[{"name":"code","type":"text","nullable":false},{"name":"v","type":"text"}]},
 {"name":"k_uniq","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_parent","columns":[{"name":"id","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"k_child","columns":[{"name":"id","type":"integer"},{"name":"parent_id","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"k_check","columns":[{"name":"id","type":"integer"},{"name":"qty","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"k_idx","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"integer"}],"primary_key":{"columns":["id"]},
   "indexes":[{"name":"k_idx_old","columns":["b"]}]},
 {"name":"k_json","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_empty","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}},
 {"name":"k_opts","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'kind tables created', json_extract(premix_migrate(@init, 0, @listed),'$.applied');
INSERT INTO k_cols VALUES (1,'a1','o1'),(2,'a2',NULL);
INSERT INTO k_type VALUES (1,'short','fits',10),(2,NULL,'also fits',NULL);
INSERT INTO k_null VALUES (1,'a1','b1'),(2,'a2','b2');
INSERT INTO k_def VALUES (1,'a1',1);
INSERT INTO k_def(id, b) VALUES (2,2);
INSERT INTO k_coll VALUES (1,'Alice'),(2,'bob');
INSERT INTO k_ident VALUES (1,'one'),(5,'five');
INSERT INTO k_pk VALUES ('x','one'),('y','two');
INSERT INTO k_uniq VALUES (1,'a@x'),(2,'b@x'),(3,NULL),(4,NULL);
INSERT INTO k_parent VALUES (1),(2);
INSERT INTO k_child VALUES (1,1),(2,2),(3,NULL);
INSERT INTO k_check VALUES (1,0),(2,5);
INSERT INTO k_idx VALUES (1,'A',1),(2,'b',0),(3,'c',2);
INSERT INTO k_opts VALUES (1,'one'),(2,'two');
INSERT INTO k_json VALUES (1,'a'),(2,'b');


-- ---- add column nullable
INSERT INTO temp.sqlite_parameters VALUES ('@k1', '{"tables":[{"name":"k_cols","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"old","type":"text"},{"name":"b","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'add column nullable', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k1, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add column nullable: applied', json_extract(premix_migrate(@k1, 0, @listed),'$.applied');
SELECT 'add column nullable: re-diff empty', json_array_length(premix_diff(@k1, @listed),'$.steps') = 0;
SELECT 'add column nullable rows', group_concat(id||':'||a||':'||ifnull(old,'-')||':'||ifnull(b,'-'), ',') FROM k_cols;

-- ---- add column not null with default
INSERT INTO temp.sqlite_parameters VALUES ('@k2', '{"tables":[{"name":"k_cols","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"old","type":"text"},{"name":"b","type":"text"},{"name":"c","type":"integer","nullable":false,"default":"7"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'add column not null with default', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k2, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add column not null with default: applied', json_extract(premix_migrate(@k2, 0, @listed),'$.applied');
SELECT 'add column not null with default: re-diff empty', json_array_length(premix_diff(@k2, @listed),'$.steps') = 0;
SELECT 'add column not null with default rows', group_concat(id||':'||a||':'||ifnull(old,'-')||':'||ifnull(b,'-')||':'||c, ',') FROM k_cols;

-- ---- add column with expression default
INSERT INTO temp.sqlite_parameters VALUES ('@k3', '{"tables":[{"name":"k_cols","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"old","type":"text"},{"name":"b","type":"text"},{"name":"c","type":"integer","nullable":false,"default":"7"},{"name":"tag","type":"text","nullable":false,"default":"lower(''NEW'')"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'add column with expression default', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k3, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add column with expression default: applied', json_extract(premix_migrate(@k3, 0, @listed),'$.applied');
SELECT 'add column with expression default: re-diff empty', json_array_length(premix_diff(@k3, @listed),'$.steps') = 0;
SELECT 'add column with expression default rows', group_concat(id||':'||a||':'||ifnull(old,'-')||':'||ifnull(b,'-')||':'||c||':'||tag, ',') FROM k_cols;

-- ---- drop column (destructive: allow_destructive = 1)
INSERT INTO temp.sqlite_parameters VALUES ('@k4', '{"tables":[{"name":"k_cols","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"text"},{"name":"c","type":"integer","nullable":false,"default":"7"},{"name":"tag","type":"text","nullable":false,"default":"lower(''NEW'')"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'drop column', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k4, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'drop column: applied', json_extract(premix_migrate(@k4, 1, @listed),'$.applied');
SELECT 'drop column: re-diff empty', json_array_length(premix_diff(@k4, @listed),'$.steps') = 0;
SELECT 'drop column rows', group_concat(id||':'||a||':'||ifnull(b,'-')||':'||c||':'||tag, ',') FROM k_cols;
SELECT 'old is gone', count(*) = 0 FROM pragma_table_info('k_cols') WHERE name = 'old';

-- ---- add nullable json column to a table with rows
INSERT INTO temp.sqlite_parameters VALUES ('@k5', '{"tables":[{"name":"k_json","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"},{"name":"meta","type":"json"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'add nullable json column to a table with rows', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k5, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add nullable json column to a table with rows: applied', json_extract(premix_migrate(@k5, 0, @listed),'$.applied');
SELECT 'add nullable json column to a table with rows: re-diff empty', json_array_length(premix_diff(@k5, @listed),'$.steps') = 0;
SELECT 'add json column rows', group_concat(id||':'||v||':'||ifnull(meta,'-'), ',') FROM k_json;
INSERT OR IGNORE INTO k_json(id, v) VALUES (3, 'c');
SELECT 'json column takes NULL', changes() = 1;
INSERT OR IGNORE INTO k_json(id, v, meta) VALUES (4, 'd', '{"k": 1}');
SELECT 'json column takes valid JSON', changes() = 1;
INSERT OR IGNORE INTO k_json(id, v, meta) VALUES (5, 'e', '{oops');
SELECT 'json column refuses invalid JSON', changes() = 0;

-- ---- widen varchar(10) to varchar(50)
INSERT INTO temp.sqlite_parameters VALUES ('@k6', '{"tables":[{"name":"k_type","columns":[{"name":"id","type":"integer"},{"name":"w","type":"varchar(50)"},{"name":"n","type":"varchar(50)"},{"name":"i","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'widen varchar(10) to varchar(50)', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k6, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'widen varchar(10) to varchar(50): applied', json_extract(premix_migrate(@k6, 0, @listed),'$.applied');
SELECT 'widen varchar(10) to varchar(50): re-diff empty', json_array_length(premix_diff(@k6, @listed),'$.steps') = 0;
SELECT 'widen rows', group_concat(id||':'||ifnull(w,'-')||':'||n||':'||ifnull(i,'-'), ',') FROM k_type;
INSERT OR IGNORE INTO k_type(id, w) VALUES (9, 'twenty characters...');
SELECT 'widened column takes 20 chars', changes() = 1;
DELETE FROM k_type WHERE id = 9;

-- ---- narrow varchar(50) to varchar(10), values fit (destructive: allow_destructive = 1)
INSERT INTO temp.sqlite_parameters VALUES ('@k7', '{"tables":[{"name":"k_type","columns":[{"name":"id","type":"integer"},{"name":"w","type":"varchar(50)"},{"name":"n","type":"varchar(10)"},{"name":"i","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'narrow varchar(50) to varchar(10), values fit', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k7, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'narrow varchar(50) to varchar(10), values fit: applied', json_extract(premix_migrate(@k7, 1, @listed),'$.applied');
SELECT 'narrow varchar(50) to varchar(10), values fit: re-diff empty', json_array_length(premix_diff(@k7, @listed),'$.steps') = 0;
SELECT 'narrow rows', group_concat(id||':'||ifnull(w,'-')||':'||n||':'||ifnull(i,'-'), ',') FROM k_type;
INSERT OR IGNORE INTO k_type(id, n) VALUES (9, 'eleven char');
SELECT 'narrowed column refuses 11 chars', changes() = 0;

-- ---- integer to bigint
INSERT INTO temp.sqlite_parameters VALUES ('@k8', '{"tables":[{"name":"k_type","columns":[{"name":"id","type":"integer"},{"name":"w","type":"varchar(50)"},{"name":"n","type":"varchar(10)"},{"name":"i","type":"bigint"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'integer to bigint', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k8, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'integer to bigint: applied', json_extract(premix_migrate(@k8, 0, @listed),'$.applied');
SELECT 'integer to bigint: re-diff empty', json_array_length(premix_diff(@k8, @listed),'$.steps') = 0;
SELECT 'integer to bigint rows', group_concat(id||':'||ifnull(w,'-')||':'||n||':'||ifnull(i,'-')||':'||typeof(i), ',') FROM k_type;

-- ---- bigint to text (conversion) (destructive: allow_destructive = 1)
INSERT INTO temp.sqlite_parameters VALUES ('@k9', '{"tables":[{"name":"k_type","columns":[{"name":"id","type":"integer"},{"name":"w","type":"varchar(50)"},{"name":"n","type":"varchar(10)"},{"name":"i","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'bigint to text (conversion)', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k9, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'bigint to text (conversion): applied', json_extract(premix_migrate(@k9, 1, @listed),'$.applied');
SELECT 'bigint to text (conversion): re-diff empty', json_array_length(premix_diff(@k9, @listed),'$.steps') = 0;
SELECT 'bigint to text rows', group_concat(id||':'||ifnull(w,'-')||':'||n||':'||ifnull(i,'-')||':'||typeof(i), ',') FROM k_type;

-- ---- set and drop not null
INSERT INTO temp.sqlite_parameters VALUES ('@k10', '{"tables":[{"name":"k_null","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"text","nullable":false}],"primary_key":{"columns":["id"]}}]}');
SELECT 'set and drop not null', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k10, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'set and drop not null: applied', json_extract(premix_migrate(@k10, 0, @listed),'$.applied');
SELECT 'set and drop not null: re-diff empty', json_array_length(premix_diff(@k10, @listed),'$.steps') = 0;
SELECT 'set and drop not null rows', group_concat(id||':'||a||':'||b, ',') FROM k_null;
INSERT OR IGNORE INTO k_null(id, a, b) VALUES (9, 'a9', NULL);
SELECT 'b refuses NULL now', changes() = 0;
INSERT OR IGNORE INTO k_null(id, a, b) VALUES (9, NULL, 'b9');
SELECT 'a takes NULL now', changes() = 1;
DELETE FROM k_null WHERE id = 9;

-- ---- set and drop default
INSERT INTO temp.sqlite_parameters VALUES ('@k11', '{"tables":[{"name":"k_def","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"integer","default":"0"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'set and drop default', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k11, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'set and drop default: applied', json_extract(premix_migrate(@k11, 0, @listed),'$.applied');
SELECT 'set and drop default: re-diff empty', json_array_length(premix_diff(@k11, @listed),'$.steps') = 0;
SELECT 'set and drop default rows', group_concat(id||':'||a||':'||b, ',') FROM k_def;
INSERT INTO k_def(id) VALUES (3);
SELECT 'defaults now', a IS NULL, b FROM k_def WHERE id = 3;

-- ---- collation
INSERT INTO temp.sqlite_parameters VALUES ('@k12', '{"tables":[{"name":"k_coll","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text","collation":"NOCASE"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'collation', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k12, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'collation: applied', json_extract(premix_migrate(@k12, 0, @listed),'$.applied');
SELECT 'collation: re-diff empty', json_array_length(premix_diff(@k12, @listed),'$.steps') = 0;
SELECT 'collation rows', group_concat(id||':'||name, ',') FROM k_coll;
SELECT 'NOCASE compares', count(*) = 1 FROM k_coll WHERE name = 'ALICE';

-- ---- identity
INSERT INTO temp.sqlite_parameters VALUES ('@k13', '{"tables":[{"name":"k_ident","columns":[{"name":"id","type":"integer","identity":"by default"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'identity', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k13, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'identity: applied', json_extract(premix_migrate(@k13, 0, @listed),'$.applied');
SELECT 'identity: re-diff empty', json_array_length(premix_diff(@k13, @listed),'$.steps') = 0;
SELECT 'identity rows', group_concat(id||':'||v, ',') FROM k_ident;
SELECT 'AUTOINCREMENT declared', sql LIKE '%AUTOINCREMENT%' FROM sqlite_schema WHERE name = 'k_ident';
INSERT INTO k_ident(v) VALUES ('six');
SELECT 'identity continues after the highest id', id FROM k_ident WHERE v = 'six';

-- ---- add primary key
INSERT INTO temp.sqlite_parameters VALUES ('@k14', '{"tables":[{"name":"k_pk","columns":[{"name":"code","type":"text","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["code"]}}]}');
SELECT 'add primary key', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k14, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add primary key: applied', json_extract(premix_migrate(@k14, 0, @listed),'$.applied');
SELECT 'add primary key: re-diff empty', json_array_length(premix_diff(@k14, @listed),'$.steps') = 0;
SELECT 'add primary key rows', group_concat(code||':'||v, ',') FROM k_pk;
SELECT 'primary key columns', group_concat(name) FROM pragma_table_info('k_pk') WHERE pk > 0;

-- ---- drop primary key
INSERT INTO temp.sqlite_parameters VALUES ('@k15', '{"tables":[{"name":"k_pk","columns":[{"name":"code","type":"text","nullable":false},{"name":"v","type":"text"}]}]}');
SELECT 'drop primary key', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k15, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'drop primary key: applied', json_extract(premix_migrate(@k15, 0, @listed),'$.applied');
SELECT 'drop primary key: re-diff empty', json_array_length(premix_diff(@k15, @listed),'$.steps') = 0;
SELECT 'drop primary key rows', group_concat(code||':'||v, ',') FROM k_pk;
SELECT 'no primary key', count(*) = 0 FROM pragma_table_info('k_pk') WHERE pk > 0;

-- ---- add unique
INSERT INTO temp.sqlite_parameters VALUES ('@k16', '{"tables":[{"name":"k_uniq","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"}],"primary_key":{"columns":["id"]},"unique":[{"columns":["email"]}]}]}');
SELECT 'add unique', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k16, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add unique: applied', json_extract(premix_migrate(@k16, 0, @listed),'$.applied');
SELECT 'add unique: re-diff empty', json_array_length(premix_diff(@k16, @listed),'$.steps') = 0;
SELECT 'add unique rows', group_concat(id||':'||ifnull(email,'-'), ',') FROM k_uniq;
SELECT 'unique constraint present', count(*) = 1 FROM pragma_index_list('k_uniq') WHERE origin = 'u';

-- ---- drop unique
INSERT INTO temp.sqlite_parameters VALUES ('@k17', '{"tables":[{"name":"k_uniq","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'drop unique', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k17, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'drop unique: applied', json_extract(premix_migrate(@k17, 0, @listed),'$.applied');
SELECT 'drop unique: re-diff empty', json_array_length(premix_diff(@k17, @listed),'$.steps') = 0;
SELECT 'drop unique rows', group_concat(id||':'||ifnull(email,'-'), ',') FROM k_uniq;
SELECT 'unique constraint gone', count(*) = 0 FROM pragma_index_list('k_uniq') WHERE origin = 'u';

-- ---- add foreign key with actions
INSERT INTO temp.sqlite_parameters VALUES ('@k18', '{"tables":[{"name":"k_child","columns":[{"name":"id","type":"integer"},{"name":"parent_id","type":"integer"}],"primary_key":{"columns":["id"]},"foreign_keys":[{"columns":["parent_id"],"ref_table":"k_parent","ref_columns":["id"],"on_delete":"cascade","on_update":"set null"}]}]}');
SELECT 'add foreign key with actions', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k18, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add foreign key with actions: applied', json_extract(premix_migrate(@k18, 0, @listed),'$.applied');
SELECT 'add foreign key with actions: re-diff empty', json_array_length(premix_diff(@k18, @listed),'$.steps') = 0;
SELECT 'add foreign key rows', group_concat(id||':'||ifnull(parent_id,'-'), ',') FROM k_child;
SELECT 'foreign key', "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list('k_child');

-- ---- change foreign key actions
INSERT INTO temp.sqlite_parameters VALUES ('@k19', '{"tables":[{"name":"k_child","columns":[{"name":"id","type":"integer"},{"name":"parent_id","type":"integer"}],"primary_key":{"columns":["id"]},"foreign_keys":[{"columns":["parent_id"],"ref_table":"k_parent","ref_columns":["id"],"on_delete":"set null","on_update":"cascade"}]}]}');
SELECT 'change foreign key actions', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k19, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'change foreign key actions: applied', json_extract(premix_migrate(@k19, 0, @listed),'$.applied');
SELECT 'change foreign key actions: re-diff empty', json_array_length(premix_diff(@k19, @listed),'$.steps') = 0;
SELECT 'change foreign key actions rows', group_concat(id||':'||ifnull(parent_id,'-'), ',') FROM k_child;
SELECT 'foreign key', "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list('k_child');

-- ---- drop foreign key
INSERT INTO temp.sqlite_parameters VALUES ('@k20', '{"tables":[{"name":"k_child","columns":[{"name":"id","type":"integer"},{"name":"parent_id","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'drop foreign key', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k20, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'drop foreign key: applied', json_extract(premix_migrate(@k20, 0, @listed),'$.applied');
SELECT 'drop foreign key: re-diff empty', json_array_length(premix_diff(@k20, @listed),'$.steps') = 0;
SELECT 'drop foreign key rows', group_concat(id||':'||ifnull(parent_id,'-'), ',') FROM k_child;
SELECT 'no foreign key', count(*) = 0 FROM pragma_foreign_key_list('k_child');

-- ---- add check
INSERT INTO temp.sqlite_parameters VALUES ('@k21', '{"tables":[{"name":"k_check","columns":[{"name":"id","type":"integer"},{"name":"qty","type":"integer"}],"primary_key":{"columns":["id"]},"checks":[{"name":"qty_nonneg","expression":"qty >= 0"}]}]}');
SELECT 'add check', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k21, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'add check: applied', json_extract(premix_migrate(@k21, 0, @listed),'$.applied');
SELECT 'add check: re-diff empty', json_array_length(premix_diff(@k21, @listed),'$.steps') = 0;
SELECT 'add check rows', group_concat(id||':'||qty, ',') FROM k_check;
INSERT OR IGNORE INTO k_check VALUES (3, -1);
SELECT 'check refuses -1', changes() = 0;

-- ---- drop check
INSERT INTO temp.sqlite_parameters VALUES ('@k22', '{"tables":[{"name":"k_check","columns":[{"name":"id","type":"integer"},{"name":"qty","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'drop check', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k22, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'drop check: applied', json_extract(premix_migrate(@k22, 0, @listed),'$.applied');
SELECT 'drop check: re-diff empty', json_array_length(premix_diff(@k22, @listed),'$.steps') = 0;
SELECT 'drop check rows', group_concat(id||':'||qty, ',') FROM k_check;
INSERT OR IGNORE INTO k_check VALUES (3, -1);
SELECT 'check gone: -1 accepted', changes() = 1;

-- ---- create indexes (plain, partial, expression, unique)
INSERT INTO temp.sqlite_parameters VALUES ('@k23', '{"tables":[{"name":"k_idx","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"integer"}],"primary_key":{"columns":["id"]},"indexes":[{"name":"k_idx_old","columns":["b"]},{"name":"k_idx_a","columns":["a"]},{"name":"k_idx_partial","columns":["b"],"where":"b > 0"},{"name":"k_idx_expr","columns":["lower(a)"]},{"name":"k_idx_uniq","columns":["a"],"unique":true}]}]}');
SELECT 'create indexes (plain, partial, expression, unique)', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k23, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'create indexes (plain, partial, expression, unique): applied', json_extract(premix_migrate(@k23, 0, @listed),'$.applied');
SELECT 'create indexes (plain, partial, expression, unique): re-diff empty', json_array_length(premix_diff(@k23, @listed),'$.steps') = 0;
SELECT 'create indexes rows', group_concat(id||':'||a||':'||b, ',') FROM k_idx;
SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'k_idx' ORDER BY name;

-- ---- drop index
INSERT INTO temp.sqlite_parameters VALUES ('@k24', '{"tables":[{"name":"k_idx","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"integer"}],"primary_key":{"columns":["id"]},"indexes":[{"name":"k_idx_a","columns":["a"]},{"name":"k_idx_partial","columns":["b"],"where":"b > 0"},{"name":"k_idx_expr","columns":["lower(a)"]},{"name":"k_idx_uniq","columns":["a"],"unique":true}]}]}');
SELECT 'drop index', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k24, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'drop index: applied', json_extract(premix_migrate(@k24, 0, @listed),'$.applied');
SELECT 'drop index: re-diff empty', json_array_length(premix_diff(@k24, @listed),'$.steps') = 0;
SELECT 'drop index rows', group_concat(id||':'||a||':'||b, ',') FROM k_idx;
SELECT 'k_idx_old is gone', count(*) = 0 FROM sqlite_schema WHERE name = 'k_idx_old';

-- ---- change index definitions
INSERT INTO temp.sqlite_parameters VALUES ('@k25', '{"tables":[{"name":"k_idx","columns":[{"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"integer"}],"primary_key":{"columns":["id"]},"indexes":[{"name":"k_idx_a","columns":["a","b"]},{"name":"k_idx_partial","columns":["b"],"where":"b > 1"},{"name":"k_idx_expr","columns":["lower(a)"]},{"name":"k_idx_uniq","columns":["a"],"unique":true}]}]}');
SELECT 'change index definitions', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k25, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'change index definitions: applied', json_extract(premix_migrate(@k25, 0, @listed),'$.applied');
SELECT 'change index definitions: re-diff empty', json_array_length(premix_diff(@k25, @listed),'$.steps') = 0;
SELECT 'change index definitions rows', group_concat(id||':'||a||':'||b, ',') FROM k_idx;
SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'k_idx' ORDER BY name;

-- ---- index on an empty table
INSERT INTO temp.sqlite_parameters VALUES ('@k26', '{"tables":[{"name":"k_empty","columns":[{"name":"id","type":"integer"},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]},"indexes":[{"name":"k_empty_v","columns":["v"]}]}]}');
SELECT 'index on an empty table', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k26, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'index on an empty table: applied', json_extract(premix_migrate(@k26, 0, @listed),'$.applied');
SELECT 'index on an empty table: re-diff empty', json_array_length(premix_diff(@k26, @listed),'$.steps') = 0;

-- ---- without rowid
INSERT INTO temp.sqlite_parameters VALUES ('@k27', '{"tables":[{"name":"k_opts","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]},"options":{"without_rowid":true}}]}');
SELECT 'without rowid', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k27, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'without rowid: applied', json_extract(premix_migrate(@k27, 0, @listed),'$.applied');
SELECT 'without rowid: re-diff empty', json_array_length(premix_diff(@k27, @listed),'$.steps') = 0;
SELECT 'without rowid rows', group_concat(id||':'||v, ',') FROM k_opts;
SELECT 'k_opts options (wr, strict)', wr, strict FROM pragma_table_list('k_opts');

-- ---- strict
INSERT INTO temp.sqlite_parameters VALUES ('@k28', '{"tables":[{"name":"k_opts","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]},"options":{"without_rowid":true,"strict":true}}]}');
SELECT 'strict', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k28, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'strict: applied', json_extract(premix_migrate(@k28, 0, @listed),'$.applied');
SELECT 'strict: re-diff empty', json_array_length(premix_diff(@k28, @listed),'$.steps') = 0;
SELECT 'strict rows', group_concat(id||':'||v, ',') FROM k_opts;
SELECT 'k_opts options (wr, strict)', wr, strict FROM pragma_table_list('k_opts');

-- ---- back to a rowid table
INSERT INTO temp.sqlite_parameters VALUES ('@k29', '{"tables":[{"name":"k_opts","columns":[{"name":"id","type":"integer","nullable":false},{"name":"v","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'back to a rowid table', json_extract(s.value,'$.op'), json_extract(s.value,'$.object'), json_extract(s.value,'$.safety'),
       ifnull(json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.object') || ' ' || json_extract(p.value,'$.safety'), '-')
  FROM json_each(premix_diff(@k29, @listed),'$.steps') s LEFT JOIN json_each(s.value,'$.parts') p;
SELECT 'back to a rowid table: applied', json_extract(premix_migrate(@k29, 0, @listed),'$.applied');
SELECT 'back to a rowid table: re-diff empty', json_array_length(premix_diff(@k29, @listed),'$.steps') = 0;
SELECT 'back to rowid rows', group_concat(id||':'||v, ',') FROM k_opts;
SELECT 'k_opts options (wr, strict)', wr, strict FROM pragma_table_list('k_opts');

-- ================================================== the whole database
SELECT 'integrity', * FROM pragma_integrity_check;
SELECT 'no leftover premix_new_ / premix_tmp_ tables', count(*) = 0 FROM sqlite_schema WHERE name LIKE 'premix\_new\_%' ESCAPE '\' OR name LIKE 'premix\_tmp\_%' ESCAPE '\';
