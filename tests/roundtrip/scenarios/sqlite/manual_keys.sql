-- hand-written: a unique key and a check dropped and others added, a foreign key's action
-- changed, a collation changed and a default changed, in one rebuild with rows
CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT COLLATE NOCASE, qty INTEGER DEFAULT 1 CHECK (qty > 0));
CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id) ON DELETE CASCADE);
INSERT INTO p VALUES (1, 'A', 'x', 5), (2, 'B', 'Y', 1);
INSERT INTO c VALUES (1, 1), (2, 2), (3, NULL);
-- @target
{"tables": [
 {"name": "p", "columns": [{"name": "id", "type": "integer"}, {"name": "code", "type": "text"}, {"name": "name", "type": "text"},
   {"name": "qty", "type": "integer", "default": "2"}], "primary_key": {"columns": ["id"]},
  "unique": [{"columns": ["name"]}], "checks": [{"expression": "qty >= 0"}]},
 {"name": "c", "columns": [{"name": "id", "type": "integer"}, {"name": "pid", "type": "integer"}],
  "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["pid"], "ref_table": "p", "on_delete": "set null"}]}]}
