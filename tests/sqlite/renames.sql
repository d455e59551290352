.load sqlite_premix/premix
.headers off
.mode list
.nullvalue NULL
-- renames: columns, tables and indexes that premix renames (keeping the rows)
-- and the ones it refuses to guess.
-- Targets are bound parameters: premix_migrate runs as a statement of its own.
-- Step lines read: case|op|object|safety.
.parameter init
INSERT INTO temp.sqlite_parameters VALUES ('@listed', '{"scope":"listed"}');

-- ---- tables: renamed by hint (accounts -> customers) and by detection
-- (order_item -> order_items: same columns, near-identical name).  A foreign
-- key and a view that name the renamed table keep working.  Detection needs
-- scope "all" (the default), so this runs first, on an empty database.
INSERT INTO temp.sqlite_parameters VALUES ('@shop0', '{"tables":[
 {"name":"accounts","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]},
  "indexes":[{"name":"accounts_name_idx","columns":["name"]}]},
 {"name":"order_item","columns":[{"name":"id","type":"integer"},{"name":"account_id","type":"integer"},{"name":"qty","type":"integer"}],"primary_key":{"columns":["id"]},
  "foreign_keys":[{"columns":["account_id"],"ref_table":"accounts","ref_columns":["id"]}]}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@shop1', '{"tables":[
 {"name":"customers","renamed_from":"accounts","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]},
  "indexes":[{"name":"accounts_name_idx","columns":["name"]}]},
 {"name":"order_items","columns":[{"name":"id","type":"integer"},{"name":"account_id","type":"integer"},{"name":"qty","type":"integer"}],"primary_key":{"columns":["id"]},
  "foreign_keys":[{"columns":["account_id"],"ref_table":"customers","ref_columns":["id"]}]}]}');
SELECT 'shop created', json_extract(premix_migrate(@shop0, 0, @listed),'$.applied');
CREATE VIEW big_orders AS SELECT a.name, o.qty FROM accounts a JOIN order_item o ON o.account_id = a.id WHERE o.qty > 5;
INSERT INTO accounts VALUES (1,'ann'),(2,'bob');
INSERT INTO order_item VALUES (1,1,5),(2,2,7),(3,2,9);
SELECT 'tables', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety'), json_extract(value,'$.reason')
  FROM json_each(premix_diff(@shop1),'$.steps');
SELECT 'tables: applied', json_extract(premix_migrate(@shop1),'$.applied');
SELECT 'tables: re-diff empty', json_array_length(premix_diff(@shop1),'$.steps') = 0;
SELECT 'tables: old names gone', count(*) = 0 FROM sqlite_schema WHERE name IN ('accounts', 'order_item');
SELECT 'tables: customers rows', group_concat(id || '=' || name, ',') FROM customers;
SELECT 'tables: order_items rows', group_concat(id || ':' || account_id || ':' || qty, ',') FROM order_items;
SELECT 'tables: foreign key follows', "table", "from", "to" FROM pragma_foreign_key_list('order_items');
SELECT 'tables: view still works', group_concat(name || '/' || qty, ',') FROM big_orders;
SELECT 'tables: foreign_key_check clean', count(*) = 0 FROM pragma_foreign_key_check;

-- ---- index: the same definition under a new name is a rename, not a rebuild
INSERT INTO temp.sqlite_parameters VALUES ('@shop2', '{"tables":[
 {"name":"customers","columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}],"primary_key":{"columns":["id"]},
  "indexes":[{"name":"customers_name_idx","columns":["name"]}]},
 {"name":"order_items","columns":[{"name":"id","type":"integer"},{"name":"account_id","type":"integer"},{"name":"qty","type":"integer"}],"primary_key":{"columns":["id"]},
  "foreign_keys":[{"columns":["account_id"],"ref_table":"customers","ref_columns":["id"]}]}]}');
SELECT 'index', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety'), json_extract(value,'$.reason')
  FROM json_each(premix_diff(@shop2),'$.steps');
SELECT 'index: applied', json_extract(premix_migrate(@shop2),'$.applied');
SELECT 'index: re-diff empty', json_array_length(premix_diff(@shop2),'$.steps') = 0;
SELECT 'index: indexes of customers', group_concat(name) FROM pragma_index_list('customers') WHERE origin = 'c';
SELECT 'index: on column', group_concat(name) FROM pragma_index_info('customers_name_idx');
SELECT 'index: rows kept', count(*) = 2 FROM customers;

INSERT INTO temp.sqlite_parameters VALUES ('@users0', '{"tables":[{"name":"users","columns":[
 {"name":"id","type":"integer"},
 {"name":"user_name","type":"varchar(50)","nullable":false},
 {"name":"email","type":"text"}],
 "primary_key":{"columns":["id"]},"indexes":[{"name":"users_user_name_idx","columns":["user_name"]}]}]}');
SELECT 'users created', json_extract(premix_migrate(@users0, 0, @listed),'$.applied');
INSERT INTO users VALUES (1,'ann','ann@example.com'),(2,'bob','bob@example.com'),(3,'cy',NULL);

-- ---- confident rename: user_name -> username (same type, near-identical name)
INSERT INTO temp.sqlite_parameters VALUES ('@users1', '{"tables":[{"name":"users","columns":[
 {"name":"id","type":"integer"},
 {"name":"username","type":"varchar(50)","nullable":false},
 {"name":"email","type":"text"}],
 "primary_key":{"columns":["id"]},"indexes":[{"name":"users_user_name_idx","columns":["username"]}]}]}');
SELECT 'confident', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@users1, @listed),'$.steps');
SELECT premix_preview(@users1, @listed);
SELECT 'confident: applied', json_extract(premix_migrate(@users1, 0, @listed),'$.applied');
SELECT 'confident: re-diff empty', json_array_length(premix_diff(@users1, @listed),'$.steps') = 0;
SELECT 'confident: rows survive rename', count(*) = 3 FROM users;
SELECT 'confident: values kept', group_concat(id || '=' || username, ',') FROM users;
SELECT 'confident: index follows the column', group_concat(name) FROM pragma_index_info('users_user_name_idx');

-- ---- ambiguous: email -> contact, same type, dissimilar name: NOT renamed
INSERT INTO temp.sqlite_parameters VALUES ('@users2', '{"tables":[{"name":"users","columns":[
 {"name":"id","type":"integer"},
 {"name":"username","type":"varchar(50)","nullable":false},
 {"name":"contact","type":"text"}],
 "primary_key":{"columns":["id"]},"indexes":[{"name":"users_user_name_idx","columns":["username"]}]}]}');
SELECT 'ambiguous', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@users2, @listed),'$.steps') ORDER BY 2, 3;
SELECT 'ambiguous: plan is destructive', json_extract(premix_diff(@users2, @listed),'$.destructive');
SELECT 'ambiguous: drop reason', json_extract(value,'$.reason')
  FROM json_each(premix_diff(@users2, @listed),'$.steps') WHERE json_extract(value,'$.op') = 'drop_column';
SELECT 'ambiguous: drop hint', json_extract(value,'$.hint')
  FROM json_each(premix_diff(@users2, @listed),'$.steps') WHERE json_extract(value,'$.op') = 'drop_column';
CREATE TEMP TABLE snap AS SELECT premix_schema() AS s;
SELECT premix_migrate(@users2, 0, @listed);
SELECT 'ambiguous: refused, schema unchanged', premix_schema() = s FROM snap;
SELECT 'ambiguous: refused, emails kept', count(email) = 2 FROM users;

-- ---- hinted: renamed_from confirms email -> contact
INSERT INTO temp.sqlite_parameters VALUES ('@users3', '{"tables":[{"name":"users","columns":[
 {"name":"id","type":"integer"},
 {"name":"username","type":"varchar(50)","nullable":false},
 {"name":"contact","type":"text","renamed_from":"email"}],
 "primary_key":{"columns":["id"]},"indexes":[{"name":"users_user_name_idx","columns":["username"]}]}]}');
SELECT 'hinted', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety'), json_extract(value,'$.reason')
  FROM json_each(premix_diff(@users3, @listed),'$.steps');
SELECT 'hinted: applied', json_extract(premix_migrate(@users3, 0, @listed),'$.applied');
SELECT 'hinted: rows survive', group_concat(id || '=' || username || '/' || ifnull(contact, 'NULL'), ',') FROM users;
-- the target still says renamed_from, but email is gone: nothing left to do
SELECT 'hinted: re-diff empty', json_array_length(premix_diff(@users3, @listed),'$.steps') = 0;

-- ---- a hint that names no live column: a warning, and a plain add
INSERT INTO temp.sqlite_parameters VALUES ('@users4', '{"tables":[{"name":"users","columns":[
 {"name":"id","type":"integer"},
 {"name":"username","type":"varchar(50)","nullable":false},
 {"name":"contact","type":"text"},
 {"name":"zip","type":"text","renamed_from":"postcode"}],
 "primary_key":{"columns":["id"]},"indexes":[{"name":"users_user_name_idx","columns":["username"]}]}]}');
SELECT 'stale hint', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@users4, @listed),'$.steps');
SELECT 'stale hint: warning', value FROM json_each(premix_diff(@users4, @listed),'$.warnings');

-- ---- a rename onto the name of a column that goes away: the target's b is
-- the live a (renamed_from), the live b is dropped.  The hint is explicit, so
-- it wins over the same-name match: a's values survive as b.
INSERT INTO temp.sqlite_parameters VALUES ('@reuse0', '{"tables":[{"name":"reuse","columns":[
 {"name":"id","type":"integer"},{"name":"a","type":"text"},{"name":"b","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@reuse1', '{"tables":[{"name":"reuse","columns":[
 {"name":"id","type":"integer"},{"name":"b","type":"text","renamed_from":"a"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'reuse created', json_extract(premix_migrate(@reuse0, 0, @listed),'$.applied');
INSERT INTO reuse VALUES (1,'keep me','old b'),(2,NULL,'old b 2');
SELECT 'reuse: plan renames a to b', count(*) = 1 FROM json_each(premix_diff(@reuse1, @listed),'$.steps')
  WHERE json_extract(value,'$.op') = 'rename_column' AND json_extract(value,'$.reason') LIKE 'column a renamed to b %';
SELECT 'reuse: plan is destructive (the old b goes)', json_extract(premix_diff(@reuse1, @listed),'$.destructive');
SELECT 'reuse: applied', json_extract(premix_migrate(@reuse1, 1, @listed),'$.applied') > 0;
SELECT 'reuse: a''s values live on as b', group_concat(id || ':' || ifnull(b, 'NULL'), ',') FROM reuse;
SELECT 'reuse: columns', group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('reuse') ORDER BY name);
SELECT 'reuse: re-diff empty', json_array_length(premix_diff(@reuse1, @listed),'$.steps') = 0;

-- ---- two equally good candidates: city1 and city2 -> city is not guessed
INSERT INTO temp.sqlite_parameters VALUES ('@addr0', '{"tables":[{"name":"addr","columns":[
 {"name":"id","type":"integer"},{"name":"city1","type":"text"},{"name":"city2","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@addr1', '{"tables":[{"name":"addr","columns":[
 {"name":"id","type":"integer"},{"name":"city","type":"text"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'addr created', json_extract(premix_migrate(@addr0, 0, @listed),'$.applied');
INSERT INTO addr VALUES (1,'Oslo','Bergen');
SELECT 'tie', json_extract(value,'$.op'), json_extract(value,'$.object'), json_extract(value,'$.safety')
  FROM json_each(premix_diff(@addr1, @listed),'$.steps') ORDER BY 2, 3;
SELECT 'tie: each drop points at renamed_from', json_extract(value,'$.object'),
       json_extract(value,'$.hint') LIKE '%"renamed_from": "' || json_extract(value,'$.object') || '"%'
  FROM json_each(premix_diff(@addr1, @listed),'$.steps') WHERE json_extract(value,'$.op') = 'drop_column' ORDER BY 2;

-- ---- column swap a <-> b via renamed_from is refused (even when the types
-- differ): once applied, the target could not be told from "not yet
-- swapped", so the same target would swap again.  The error says how to do
-- it in two migrations; nothing changes.
INSERT INTO temp.sqlite_parameters VALUES ('@pair0', '{"tables":[{"name":"pairs","columns":[
 {"name":"id","type":"integer"},{"name":"a","type":"integer"},{"name":"b","type":"text"}],"primary_key":{"columns":["id"]},
 "indexes":[{"name":"pairs_a_idx","columns":["a"]}]}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@pair1', '{"tables":[{"name":"pairs","columns":[
 {"name":"id","type":"integer"},{"name":"a","type":"text","renamed_from":"b"},{"name":"b","type":"integer","renamed_from":"a"}],"primary_key":{"columns":["id"]},
 "indexes":[{"name":"pairs_a_idx","columns":["a"]}]}]}');
SELECT 'pairs created', json_extract(premix_migrate(@pair0, 0, @listed),'$.applied');
INSERT INTO pairs VALUES (1,10,'x'),(2,NULL,'y'),(3,30,NULL);
SELECT premix_migrate(@pair1, 0, @listed);
SELECT 'swap: values untouched', group_concat(id || ':' || ifnull(a, 'NULL') || ':' || ifnull(b, 'NULL'), ',') FROM pairs;
SELECT 'swap: column types untouched', group_concat(name || ' ' || type, ', ') FROM (SELECT name, type FROM pragma_table_info('pairs') ORDER BY name);

-- ---- a swap of two columns of the same type cannot be told from "already
-- swapped" by looking at the schema: refused, nothing changes.
INSERT INTO temp.sqlite_parameters VALUES ('@same0', '{"tables":[{"name":"same","columns":[
 {"name":"id","type":"integer"},{"name":"x","type":"text"},{"name":"y","type":"text"}],"primary_key":{"columns":["id"]}}]}');
INSERT INTO temp.sqlite_parameters VALUES ('@same1', '{"tables":[{"name":"same","columns":[
 {"name":"id","type":"integer"},{"name":"x","type":"text","renamed_from":"y"},{"name":"y","type":"text","renamed_from":"x"}],"primary_key":{"columns":["id"]}}]}');
SELECT 'same created', json_extract(premix_migrate(@same0, 0, @listed),'$.applied');
INSERT INTO same VALUES (1,'x1','y1');
SELECT premix_migrate(@same1, 0, @listed);
SELECT 'same-type swap: values untouched', group_concat(id || ':' || x || ':' || y) FROM same;

SELECT 'integrity', * FROM pragma_integrity_check;
