-- renames: a confident rename is a RENAME and rows survive; an ambiguous
-- one is not guessed (drop + add, destructive, with a renamed_from hint);
-- a hinted one is a RENAME; tables and indexes rename too.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_renames;
SET search_path = t_renames, public;

CREATE TABLE accounts (id integer PRIMARY KEY, user_name text NOT NULL, a text, b text);
CREATE INDEX accounts_user_name_idx ON accounts (user_name);
INSERT INTO accounts VALUES (1, 'ann', 'a1', 'b1'), (2, 'bob', 'a2', 'b2');

-- confident: user_name -> username (same type); the table renamed with a hint
SELECT s->>'op' AS op, s->>'safety' AS safety, s->>'reason' AS reason, s->'sql' AS sql
  FROM jsonb_array_elements(premix_diff('{"tables":[{"name":"users","renamed_from":"accounts",
    "columns":[{"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","nullable":false},
               {"name":"a","type":"text"},{"name":"b","type":"text"}],
    "primary_key":{"columns":["id"]},
    "indexes":[{"name":"users_username_idx","columns":["username"]}]}]}')->'steps') s;
SELECT premix_migrate('{"tables":[{"name":"users","renamed_from":"accounts",
    "columns":[{"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","nullable":false},
               {"name":"a","type":"text"},{"name":"b","type":"text"}],
    "primary_key":{"columns":["id"]},
    "indexes":[{"name":"users_username_idx","columns":["username"]}]}]}') ->> 'applied' AS applied;
SELECT * FROM users ORDER BY id;
SELECT indexname FROM pg_indexes WHERE schemaname = 't_renames' ORDER BY 1;

-- ambiguous: a and b both go, x and y both come (same type): not guessed
SELECT s->>'op' AS op, s->>'safety' AS safety, s->>'reason' AS reason
  FROM jsonb_array_elements(premix_diff('{"tables":[{"name":"users",
    "columns":[{"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","nullable":false},
               {"name":"x","type":"text"},{"name":"y","type":"text"}],
    "primary_key":{"columns":["id"]},
    "indexes":[{"name":"users_username_idx","columns":["username"]}]}]}')->'steps') s ORDER BY 1, 3;
SELECT premix_migrate('{"tables":[{"name":"users",
    "columns":[{"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","nullable":false},
               {"name":"x","type":"text"},{"name":"y","type":"text"}],
    "primary_key":{"columns":["id"]},
    "indexes":[{"name":"users_username_idx","columns":["username"]}]}]}');
SELECT * FROM users ORDER BY id;

-- hinted: renamed_from settles it, rows survive
SELECT premix_migrate('{"tables":[{"name":"users",
    "columns":[{"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","nullable":false},
               {"name":"x","type":"text","renamed_from":"a"},{"name":"y","type":"text","renamed_from":"b"}],
    "primary_key":{"columns":["id"]},
    "indexes":[{"name":"users_username_idx","columns":["username"]}]}]}') ->> 'applied' AS applied;
SELECT * FROM users ORDER BY id;

-- a swap: a goes to b's name and b to a's; a temporary name frees them
SELECT s->'sql' AS sql FROM jsonb_array_elements(premix_diff('{"tables":[{"name":"users",
    "columns":[{"name":"id","type":"integer","nullable":false},{"name":"username","type":"text","nullable":false},
               {"name":"x","type":"text","renamed_from":"y"},{"name":"y","type":"text","renamed_from":"x"}],
    "primary_key":{"columns":["id"]},
    "indexes":[{"name":"users_username_idx","columns":["username"]}]}]}')->'steps') s;
