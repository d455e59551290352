-- hand-written: a parent table renamed while its child is rebuilt (a foreign key added to it,
-- another one's action changed), foreign keys on
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE orgs (id INTEGER PRIMARY KEY);
CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id), org_id INTEGER);
INSERT INTO teams VALUES (1, 't1'), (2, 't2');
INSERT INTO orgs VALUES (1);
INSERT INTO members VALUES (1, 1, 1), (2, 2, NULL), (3, NULL, 1);
PRAGMA foreign_keys = ON;
-- @target
{"tables": [
 {"name": "groups", "renamed_from": "teams", "columns": [{"name": "id", "type": "integer"}, {"name": "name", "type": "text"}], "primary_key": {"columns": ["id"]}},
 {"name": "orgs", "columns": [{"name": "id", "type": "integer"}], "primary_key": {"columns": ["id"]}},
 {"name": "members", "columns": [{"name": "id", "type": "integer"}, {"name": "team_id", "type": "integer"}, {"name": "org_id", "type": "integer"}],
  "primary_key": {"columns": ["id"]},
  "foreign_keys": [{"columns": ["team_id"], "ref_table": "groups", "on_delete": "cascade"}, {"columns": ["org_id"], "ref_table": "orgs"}]}]}
