.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- data_checks: changes that cannot succeed on the rows that are there now are
-- blocked (always refused, with the count of offending rows and a hint); after
-- each refusal the schema is exactly as before.
-- Targets are bound parameters: premix_migrate runs as a statement of its own.
-- Step lines read: case|op|safety|sqlstate, then the blocked part and its reason.
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@listed', '{"scope":"listed"}');
INSERT INTO temp.sqlite_parameters VALUES ('@t0', '{"tables":[
 {"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(20)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"codes","columns":[{"name":"code","type":"text"},{"name":"label","type":"text"}]},
 {"name":"teams","columns":[{"name":"id","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"members","columns":[{"name":"id","type":"integer"},{"name":"team_id","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'created', json_extract(premix_migrate(@t0),'$.applied');
-- email: 'a@x' twice (NULLs never collide); nick: 'christopher' is 11 long;
-- age: one negative (NULL satisfies a CHECK)
INSERT INTO people VALUES (1,'a@x','alice',30),(2,'a@x','bo',-1),(3,'b@x','christopher',40),(4,NULL,'dee',50),(5,NULL,'eve',NULL);
-- code: 'k1' twice and two NULLs; 'K2'/'k2' differ only in case
INSERT INTO codes VALUES ('k1','one'),('k1','uno'),(NULL,'three'),(NULL,'four'),('K2','five'),('k2','six');
INSERT INTO teams VALUES (1),(2);
-- team 3 and team 4 do not exist; NULL is not an orphan
INSERT INTO members VALUES (1,1),(2,3),(3,4),(4,NULL),(5,2);
CREATE TEMP TABLE snap AS SELECT premix_schema() AS s;

-- ---- UNIQUE over duplicates
INSERT INTO temp.sqlite_parameters VALUES ('@unique', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(20)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]},
 "unique":[{"columns":["email"]}]}]}');
SELECT 'unique', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@unique, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@unique, 1, @listed);
SELECT 'unique: schema unchanged', premix_schema() = s FROM snap;

-- ---- unique index over duplicates
INSERT INTO temp.sqlite_parameters VALUES ('@uindex', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(20)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]},
 "indexes":[{"name":"people_email_key","columns":["email"],"unique":true}]}]}');
SELECT 'unique index', json_extract(value,'$.op'), json_extract(value,'$.safety'), json_extract(value,'$.sqlstate'), json_extract(value,'$.reason')
  FROM json_each(premix_diff(@uindex, @listed),'$.steps');
SELECT premix_migrate(@uindex, 1, @listed);
SELECT 'unique index: schema unchanged', premix_schema() = s FROM snap;

-- ---- a partial unique index whose predicate excludes the duplicates is fine
INSERT INTO temp.sqlite_parameters VALUES ('@upartial', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(20)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]},
 "indexes":[{"name":"people_email_adult_key","columns":["email"],"unique":true,"where":"age >= 18"}]}]}');
SELECT 'partial unique index', json_extract(value,'$.op'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@upartial, @listed),'$.steps');

-- ---- foreign key over orphan rows
INSERT INTO temp.sqlite_parameters VALUES ('@fk', '{"tables":[{"name":"members","columns":[{"name":"id","type":"integer"},{"name":"team_id","type":"integer"}],"primary_key":{"columns":["id"]},
 "foreign_keys":[{"columns":["team_id"],"ref_table":"teams","ref_columns":["id"],"on_delete":"cascade"}]}]}');
SELECT 'foreign key', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@fk, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@fk, 1, @listed);
SELECT 'foreign key: schema unchanged', premix_schema() = s FROM snap;

-- ---- CHECK over violating rows
INSERT INTO temp.sqlite_parameters VALUES ('@check', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(20)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]},
 "checks":[{"name":"age_not_negative","expression":"age >= 0"}]}]}');
SELECT 'check', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@check, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@check, 1, @listed);
SELECT 'check: schema unchanged', premix_schema() = s FROM snap;

-- ---- narrowing varchar(20) -> varchar(5) below the longest value
INSERT INTO temp.sqlite_parameters VALUES ('@narrow', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(5)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'narrow', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@narrow, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@narrow, 1, @listed);
SELECT 'narrow: schema unchanged', premix_schema() = s FROM snap;
SELECT 'narrow: the long value is intact', nick FROM people WHERE id = 3;

-- ---- primary key over duplicates, then over NULLs
INSERT INTO temp.sqlite_parameters VALUES ('@pk', '{"tables":[{"name":"codes","columns":[{"name":"code","type":"text"},{"name":"label","type":"text"}],
 "primary_key":{"columns":["code"]}}]}');
SELECT 'pk duplicates', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@pk, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@pk, 1, @listed);
SELECT 'pk duplicates: schema unchanged', premix_schema() = s FROM snap;
DELETE FROM codes WHERE label = 'uno';
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema();
SELECT 'pk NULLs', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@pk, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@pk, 1, @listed);
SELECT 'pk NULLs: schema unchanged', premix_schema() = s FROM snap;

-- ---- a collation change under a unique key that would make 'K2' = 'k2'
INSERT INTO temp.sqlite_parameters VALUES ('@nocase', '{"tables":[{"name":"codes","columns":[{"name":"code","type":"text","collation":"NOCASE"},{"name":"label","type":"text"}],
 "unique":[{"columns":["code"]}]}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@binary', '{"tables":[{"name":"codes","columns":[{"name":"code","type":"text"},{"name":"label","type":"text"}],
 "unique":[{"columns":["code"]}]}]}');
SELECT 'unique under binary collation: applied', json_extract(premix_migrate(@binary, 0, @listed),'$.applied');
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema();
SELECT 'collation', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'), json_extract(s.value,'$.sqlstate'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@nocase, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@nocase, 1, @listed);
SELECT 'collation: schema unchanged', premix_schema() = s FROM snap;

-- ---- narrowing where every value fits: destructive, not blocked
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema();
INSERT INTO temp.sqlite_parameters VALUES ('@narrowfits', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(11)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'narrow, values fit', json_extract(s.value,'$.op'), json_extract(s.value,'$.safety'),
       json_extract(p.value,'$.op') || ' ' || json_extract(p.value,'$.safety') || ': ' || json_extract(p.value,'$.reason')
  FROM json_each(premix_diff(@narrowfits, @listed),'$.steps') s, json_each(s.value,'$.parts') p;
SELECT premix_migrate(@narrowfits, 0, @listed);
SELECT 'narrow, values fit: refused, schema unchanged', premix_schema() = s FROM snap;
SELECT 'narrow, values fit: applied with allow_destructive', json_extract(premix_migrate(@narrowfits, 1, @listed),'$.applied');
SELECT 'narrow, values fit: rows intact', group_concat(id || ':' || nick, ',') FROM people;
SELECT 'narrow, values fit: re-diff empty', json_array_length(premix_diff(@narrowfits, @listed),'$.steps') = 0;
INSERT OR IGNORE INTO people(id, nick) VALUES (6, 'twelve chars');
SELECT 'narrow, values fit: 12 chars now refused', changes() = 0;

-- ---- the data changes between premix_diff and premix_apply: the step's check
-- runs again at apply time and refuses
INSERT INTO temp.sqlite_parameters VALUES ('@narrow8', '{"tables":[{"name":"people","columns":[{"name":"id","type":"integer"},{"name":"email","type":"text"},{"name":"nick","type":"varchar(8)"},{"name":"age","type":"integer"}],"primary_key":{"columns":["id"]}}]}');
UPDATE people SET nick = 'chris' WHERE id = 3;
INSERT INTO temp.sqlite_parameters SELECT '@plan8', premix_diff(@narrow8, @listed);
SELECT 'race: planned as', json_extract(value,'$.op'), json_extract(value,'$.safety') FROM json_each(@plan8,'$.steps');
UPDATE people SET nick = 'christopher' WHERE id = 3;
DELETE FROM snap;
INSERT INTO snap SELECT premix_schema();
SELECT premix_apply(@plan8, 1);
SELECT 'race: schema unchanged', premix_schema() = s FROM snap;
SELECT 'integrity', * FROM pragma_integrity_check;

-- ---- a foreign key on a column the plan adds: the existing rows get the
-- new column's default, so that value is what the orphan check looks at
CREATE TABLE fk_orgs (id INTEGER PRIMARY KEY);
CREATE TABLE fk_users (id INTEGER PRIMARY KEY);
INSERT INTO fk_orgs VALUES (1);
INSERT INTO fk_users VALUES (1), (2);
INSERT INTO temp.sqlite_parameters VALUES ('@fknull', '{"tables":[{"name":"fk_orgs","columns":[{"name":"id","type":"integer"}],"primary_key":{"columns":["id"]}},
 {"name":"fk_users","columns":[{"name":"id","type":"integer"},{"name":"org_id","type":"integer"}],"primary_key":{"columns":["id"]},
  "foreign_keys":[{"columns":["org_id"],"ref_table":"fk_orgs"}]}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@fkbad', replace(@fknull, '{"name":"org_id","type":"integer"}', '{"name":"org_id","type":"integer","default":"7"}'));
INSERT INTO temp.sqlite_parameters VALUES ('@fkgood', replace(@fknull, '{"name":"org_id","type":"integer"}', '{"name":"org_id","type":"integer","default":"1"}'));
SELECT 'new fk column without default', json_extract(premix_diff(@fknull, '{"scope":"listed"}'), '$.blocked');
SELECT 'new fk column defaulting to a missing org', json_extract(premix_diff(@fkbad, '{"scope":"listed"}'), '$.blocked');
SELECT 'new fk column defaulting to an existing org', json_extract(premix_diff(@fkgood, '{"scope":"listed"}'), '$.blocked');
SELECT 'applied', json_extract(premix_migrate(@fkgood, 0, '{"scope":"listed"}'), '$.applied');
SELECT 'rows point at org 1', group_concat(id || ':' || org_id) FROM fk_users;
