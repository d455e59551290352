-- hand-written: a table referenced by a foreign key, a view and a trigger is renamed, and a column
-- an index, a check and the trigger use is renamed; an index is renamed (SQLite re-creates it)
CREATE TABLE accounts (id INTEGER PRIMARY KEY, user_name TEXT NOT NULL CHECK (length(user_name) > 1));
CREATE INDEX accounts_user_name_idx ON accounts (user_name);
CREATE INDEX accounts_lower ON accounts (lower(user_name)) WHERE id > 0;
CREATE TABLE posts (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id), body TEXT);
CREATE TABLE log (msg TEXT);
CREATE VIEW names AS SELECT user_name FROM accounts;
CREATE TRIGGER accounts_ins AFTER INSERT ON accounts BEGIN INSERT INTO log VALUES (new.user_name); END;
INSERT INTO accounts VALUES (1, 'ann'), (2, 'bob');
INSERT INTO posts VALUES (1, 1, 'hello'), (2, 2, 'world');
-- @target
{"tables": [
 {"name": "users", "renamed_from": "accounts", "columns": [{"name": "id", "type": "integer"},
   {"name": "username", "type": "text", "nullable": false, "renamed_from": "user_name"}],
  "primary_key": {"columns": ["id"]}, "checks": [{"expression": "length(username) > 1"}],
  "indexes": [{"name": "users_username_idx", "columns": ["username"]}, {"name": "users_lower", "columns": ["lower(username)"], "where": "id > 0"}]},
 {"name": "posts", "columns": [{"name": "id", "type": "integer"}, {"name": "account_id", "type": "integer"}, {"name": "body", "type": "text"}],
  "primary_key": {"columns": ["id"]}, "foreign_keys": [{"columns": ["account_id"], "ref_table": "users"}]},
 {"name": "log", "columns": [{"name": "msg", "type": "text"}]}]}
