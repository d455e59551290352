-- hand-written: table, column and index renamed at once; the renamed column is in a check,
-- an index and a foreign key; the renamed table is referenced by another
-- @schema m_renames
CREATE SCHEMA m_renames;
SET search_path = m_renames, public;
CREATE TABLE accounts (id integer PRIMARY KEY, user_name text NOT NULL CHECK (length(user_name) > 1));
CREATE INDEX accounts_user_name_idx ON accounts (user_name);
CREATE TABLE posts (id integer PRIMARY KEY, account_id integer REFERENCES accounts (id), body text);
CREATE INDEX posts_body_old ON posts (lower(body));
INSERT INTO accounts VALUES (1, 'ann'), (2, 'bob');
INSERT INTO posts VALUES (1, 1, 'Hello'), (2, 2, 'World');
-- @target
{"tables": [
 {"name": "users", "renamed_from": "accounts", "columns": [{"name": "id", "type": "integer", "nullable": false},
   {"name": "username", "type": "text", "nullable": false, "renamed_from": "user_name"}],
  "primary_key": {"columns": ["id"]}, "checks": [{"expression": "length(username) > 1"}],
  "indexes": [{"name": "users_username_idx", "columns": ["username"]}]},
 {"name": "posts", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "user_id", "type": "integer", "renamed_from": "account_id"}, {"name": "body", "type": "text"}],
  "primary_key": {"columns": ["id"]},
  "foreign_keys": [{"columns": ["user_id"], "ref_table": "users", "ref_columns": ["id"]}],
  "indexes": [{"name": "posts_body_lower", "columns": ["lower(body)"]}]}]}
