-- premix.sql: install premix into a MariaDB (10.11) server.
--
--   cp mysql_premix/premix_udf.so <@@plugin_dir>/    (cp to a new name, then mv:
--                                                      never overwrite a loaded .so in place)
--   mariadb --user=root < mysql_premix/premix.sql
--
-- Idempotent: it can be run again over an older install.
--
-- What it creates:
--   * the UDFs of premix_udf.so (global to the server):
--       premix_version()                -> '0.1.0'
--       premix_parity(a_json, b_json)   -> JSON array of mismatches, [] when equivalent
--     Every UDF returns an error as a JSON object, never as NULL:
--       {"error": {"sqlstate": "22P02", "message": "...", "detail": null, "hint": "..."}}
--     (a UDF cannot raise a message at row time); CALL premix.premix_raise_error(r)
--     turns such a result into SIGNAL SQLSTATE '45000'.  A wrong argument count is
--     refused when the statement starts (ERROR 1123).
--   * the database `premix` holding the stored procedures (as PostgreSQL's schema
--     premix): call them qualified, from any database:
--       CALL premix.premix_schema('app', @js);    -- the live schema of database app
--       CALL premix.premix_raise_error(@r);       -- SIGNAL if @r is an error object
--
-- The UDFs are dropped (DROP FUNCTION IF EXISTS) and created again rather than
-- replaced one by one: once no function of premix_udf.so is left, the server
-- unloads the library, so a new premix_udf.so is really loaded.

SET @premix_saved_sql_mode = @@SESSION.sql_mode;
-- the procedures keep the sql_mode they are created under: a known one,
-- whatever the installing session uses (ANSI_QUOTES, PIPES_AS_CONCAT, ...)
-- ANSI_QUOTES: the SQL of premix's plans quotes identifiers with ", and the
-- procedures run it (PREPARE/EXECUTE) under their own sql_mode.  STRICT: a
-- value that does not fit a changed column is an error, never truncated.
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ANSI_QUOTES';

DROP FUNCTION IF EXISTS premix_version;
DROP FUNCTION IF EXISTS premix_parity;
DROP FUNCTION IF EXISTS premix_diff;
DROP FUNCTION IF EXISTS premix_preview;
CREATE FUNCTION premix_version RETURNS STRING SONAME 'premix_udf.so';
CREATE FUNCTION premix_parity RETURNS STRING SONAME 'premix_udf.so';
CREATE FUNCTION premix_diff RETURNS STRING SONAME 'premix_udf.so';
CREATE FUNCTION premix_preview RETURNS STRING SONAME 'premix_udf.so';

CREATE DATABASE IF NOT EXISTS premix CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DROP PROCEDURE IF EXISTS premix.premix_raise_error;
DROP PROCEDURE IF EXISTS premix.premix_schema;
DROP PROCEDURE IF EXISTS premix.premix_exec;
DROP PROCEDURE IF EXISTS premix.premix_normalize;
DROP PROCEDURE IF EXISTS premix.premix_plan;
DROP PROCEDURE IF EXISTS premix.premix_preview;
DROP PROCEDURE IF EXISTS premix.premix_migrate;
DROP PROCEDURE IF EXISTS premix.premix_rollback;

-- the ledger: one row per migration of a database, one per completed step
CREATE TABLE IF NOT EXISTS premix.premix_migrations (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    database_name VARCHAR(64) NOT NULL,
    target_checksum CHAR(64) NOT NULL,      -- SHA-256 of the target text
    from_fingerprint CHAR(64) NOT NULL,
    to_fingerprint CHAR(64) NOT NULL,
    status ENUM('running', 'failed', 'done', 'rolled back') NOT NULL,
    steps_total INT NOT NULL,
    steps_done INT NOT NULL DEFAULT 0,
    failed_step INT NULL,                   -- 1-based, in the plan of the last attempt
    error TEXT NULL,
    plan LONGTEXT NOT NULL,                 -- the plan of the last attempt
    attempts INT NOT NULL DEFAULT 1,
    started_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    finished_at DATETIME(6) NULL,
    KEY premix_migrations_db (database_name, id)
) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE TABLE IF NOT EXISTS premix.premix_migration_steps (
    migration_id BIGINT NOT NULL,
    seq INT NOT NULL,                       -- order of completion, from 1
    op VARCHAR(32) NOT NULL,
    object VARCHAR(255) NOT NULL,
    up_sql LONGTEXT NOT NULL,               -- JSON array of statements
    down_sql LONGTEXT NOT NULL,             -- JSON array of statements
    reversible BOOLEAN NOT NULL,
    status ENUM('done', 'undone') NOT NULL,
    done_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (migration_id, seq),
    FOREIGN KEY (migration_id) REFERENCES premix.premix_migrations (id)
) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DELIMITER //

-- premix_raise_error(r): when r is a premix error object, SIGNAL SQLSTATE '45000'
-- with MESSAGE_TEXT "premix: <message> (SQLSTATE <s>) DETAIL: <detail> HINT: <hint>"
-- (cut to 512 characters, MariaDB's limit); a NULL r (a UDF out of memory) is an
-- error too.  Anything else returns quietly.
CREATE PROCEDURE premix.premix_raise_error(IN r LONGTEXT CHARACTER SET utf8mb4)
    NO SQL
    SQL SECURITY INVOKER
    COMMENT 'SIGNAL the error a premix UDF returned as {"error": {...}}'
BEGIN
    DECLARE msg TEXT CHARACTER SET utf8mb4;

    IF r IS NULL THEN
        SIGNAL SQLSTATE '45000'
            SET MESSAGE_TEXT = 'premix: a premix function returned NULL (out of memory in the server)';
    END IF;
    IF JSON_VALID(r) AND JSON_EXISTS(r, '$.error') THEN
        SET msg = CONCAT('premix: ', IFNULL(JSON_VALUE(r, '$.error.message'), 'unknown error'),
                         ' (SQLSTATE ', IFNULL(JSON_VALUE(r, '$.error.sqlstate'), 'XX000'), ')',
                         IFNULL(CONCAT(' DETAIL: ', JSON_VALUE(r, '$.error.detail')), ''),
                         IFNULL(CONCAT(' HINT: ', JSON_VALUE(r, '$.error.hint')), ''));
        SET msg = LEFT(msg, 512);
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;
    END IF;
END //

-- premix_schema(db, OUT js): the schema of database db as premix's schema
-- document (the README's target form; dialect "mysql"), deterministic:
--
--   {"format": 1, "dialect": "mysql", "tables": [
--     {"name", "comment"?, "columns": [{"name", "type", "nullable", "default"?,
--        "identity"?, "collation"?, "comment"?}],
--      "primary_key"?: {"columns"}, "unique"?: [{"name", "columns"}],
--      "foreign_keys"?: [{"name", "columns", "ref_table", "ref_columns",
--        "on_delete", "on_update"}],
--      "checks"?: [{"name", "expression"}],
--      "indexes"?: [{"name", "columns", "unique", "using"}]}]}
--
-- Tables sorted by name (binary), columns by ORDINAL_POSITION, keys, checks
-- and indexes by name; key order fixed; empty lists and absent values left
-- out, as the core's own writer does.  What comes from where, and the choices:
--
--   * tables: BASE TABLEs of db (views, sequences, system-versioned tables are
--     not part of the document); premix's ledger premix_migrations and
--     premix_trash_* tables are never part of it.  "comment" when not empty.
--   * type: COLUMN_TYPE as MariaDB spells it ("int(11)", "varchar(50)",
--     "tinyint(1)", "decimal(10,2)", "int(10) unsigned", "enum('a','b')"); the
--     core maps it to portable names when it reads the document.
--   * default: COLUMN_DEFAULT, which since MariaDB 10.2.7 is an SQL expression
--     ('x' quoted, current_timestamp(), 0.00); no default and DEFAULT NULL are
--     both absent.  ON UPDATE current_timestamp() is not carried.
--   * identity: "by default" when EXTRA says auto_increment.
--   * collation: only when it differs from the table's default collation
--     (JSON columns excepted: MariaDB gives them utf8mb4_bin itself).
--   * primary_key: no name (MariaDB's is always PRIMARY).
--   * unique: every UNIQUE key.  MariaDB does not tell a UNIQUE constraint from
--     a unique index (CREATE UNIQUE INDEX shows in TABLE_CONSTRAINTS as UNIQUE),
--     so both are reported here, and "indexes" holds only non-unique ones.
--   * foreign_keys: actions in lower case ("cascade", "set null", "restrict",
--     "no action", "set default") as REFERENTIAL_CONSTRAINTS reports them
--     (a foreign key declared without ON DELETE reads "restrict" on MariaDB).
--   * checks: CHECK_CONSTRAINTS, table and column level (a column-level check
--     is named after its column), CHECK_CLAUSE as MariaDB spells it (with
--     backquotes).  MariaDB's own json_valid(`c`) check on a JSON column is
--     kept: it is how the document says the longtext column is JSON (as
--     SQLite's CHECK markers are), and the core reads it back as type json.
--   * indexes: non-unique indexes; an element is the column name, with "(n)"
--     for a prefix index and " desc" for a descending part; "using" is
--     INDEX_TYPE in lower case ("btree", "hash", "fulltext", "spatial").  The
--     index InnoDB creates for a foreign key (the FK's exact columns, named
--     after the constraint or after its first column) is part of the foreign
--     key, not listed: it cannot be dropped while the key exists and adding
--     the key creates it again.
--
-- Errors (SIGNAL): db NULL (pass DATABASE()); db unknown; the document not
-- valid JSON, NULL (larger than max_allowed_packet) or holding fewer tables
-- than information_schema.TABLES lists (a table whose columns the caller may
-- not see, or the schema changed during the export).  GROUP_CONCAT is capped
-- by group_concat_max_len: the session value is raised to its maximum for the
-- call and restored afterwards, also on error.
--
-- SQL SECURITY INVOKER: information_schema shows what the caller may see.
-- Temporary tables premix_tmp_* of the session hold the catalog rows while
-- the document is built (each information_schema view is read once, however
-- many tables), and are dropped before returning.
CREATE PROCEDURE premix.premix_schema(IN db VARCHAR(64), OUT js LONGTEXT CHARACTER SET utf8mb4)
    READS SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: the schema document of database db (JSON)'
BEGIN
    DECLARE saved_gcml BIGINT UNSIGNED DEFAULT @@SESSION.group_concat_max_len;
    DECLARE n_listed BIGINT;
    DECLARE n_exported BIGINT;
    DECLARE msg TEXT CHARACTER SET utf8mb4;
    -- a GROUP_CONCAT or CONCAT cut at max_allowed_packet (1260 and 1301 are
    -- errors under this procedure's strict sql_mode): no partial document
    DECLARE EXIT HANDLER FOR 1260, 1301
    BEGIN
        SET SESSION group_concat_max_len = saved_gcml;
        DROP TEMPORARY TABLE IF EXISTS premix_tmp_tables, premix_tmp_columns, premix_tmp_stats,
            premix_tmp_fkcols, premix_tmp_refs, premix_tmp_checks, premix_tmp_parts;
        SET js = NULL;
        SET msg = CONCAT('premix_schema: the document of database "', db,
                         '" is larger than max_allowed_packet (', @@GLOBAL.max_allowed_packet,
                         ' bytes); raise it with SET GLOBAL max_allowed_packet');
        SIGNAL SQLSTATE '54000' SET MESSAGE_TEXT = msg;
    END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION group_concat_max_len = saved_gcml;
        DROP TEMPORARY TABLE IF EXISTS premix_tmp_tables, premix_tmp_columns, premix_tmp_stats,
            premix_tmp_fkcols, premix_tmp_refs, premix_tmp_checks,
            premix_tmp_parts;
        SET js = NULL;
        RESIGNAL;
    END;

    SET js = NULL;
    IF db IS NULL THEN
        SIGNAL SQLSTATE '3D000'
            SET MESSAGE_TEXT = 'premix_schema: the database name is NULL; pass one, e.g. CALL premix.premix_schema(DATABASE(), @js)';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = db) THEN
        SET msg = CONCAT('premix_schema: unknown database "', db, '"');
        SIGNAL SQLSTATE '42000' SET MYSQL_ERRNO = 1049, MESSAGE_TEXT = msg;
    END IF;
    SET SESSION group_concat_max_len = 1073741824;  -- 1 GiB, also max_allowed_packet's limit

    DROP TEMPORARY TABLE IF EXISTS premix_tmp_tables, premix_tmp_columns, premix_tmp_stats,
        premix_tmp_fkcols, premix_tmp_refs, premix_tmp_checks,
        premix_tmp_parts;

    -- the catalog rows of db, each view read once
    CREATE TEMPORARY TABLE premix_tmp_tables AS
        SELECT TABLE_NAME AS t, TABLE_COLLATION AS coll, TABLE_COMMENT AS cmt
        FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = db AND TABLE_TYPE = 'BASE TABLE'
          AND TABLE_NAME <> 'premix_migrations' AND TABLE_NAME NOT LIKE 'premix\_trash\_%';
    CREATE TEMPORARY TABLE premix_tmp_columns AS
        SELECT TABLE_NAME AS t, COLUMN_NAME AS c, ORDINAL_POSITION AS pos, COLUMN_TYPE AS type,
               IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra,
               COLLATION_NAME AS coll, COLUMN_COMMENT AS cmt
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = db;
    CREATE TEMPORARY TABLE premix_tmp_stats AS
        SELECT TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
               COLUMN_NAME AS c, COLLATION AS ord, SUB_PART AS sub_part, INDEX_TYPE AS itype
        FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = db;
    CREATE TEMPORARY TABLE premix_tmp_fkcols AS
        SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS k, ORDINAL_POSITION AS pos, COLUMN_NAME AS c,
               REFERENCED_TABLE_NAME AS ref_t, REFERENCED_COLUMN_NAME AS ref_c
        FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = db AND REFERENCED_TABLE_NAME IS NOT NULL;
    CREATE TEMPORARY TABLE premix_tmp_refs AS
        SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS k, DELETE_RULE AS on_delete, UPDATE_RULE AS on_update
        FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = db;
    CREATE TEMPORARY TABLE premix_tmp_checks AS
        SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS k, CHECK_CLAUSE AS expr
        FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = db;

    -- each table's parts as JSON text: kind 1 columns, 2 primary key, 3 unique,
    -- 4 foreign keys, 5 checks, 6 indexes
    CREATE TEMPORARY TABLE premix_tmp_parts (
        t VARCHAR(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
        kind INT NOT NULL,
        js LONGTEXT CHARACTER SET utf8mb4,
        PRIMARY KEY (t, kind));

    INSERT INTO premix_tmp_parts
    SELECT c.t, 1, CONCAT('[', GROUP_CONCAT(
               CONCAT('{"name": ', JSON_QUOTE(c.c),
                      ', "type": ', JSON_QUOTE(c.type),
                      ', "nullable": ', IF(c.nullable = 'YES', 'true', 'false'),
                      IF(c.dflt IS NULL OR c.dflt = 'NULL', '', CONCAT(', "default": ', JSON_QUOTE(c.dflt))),
                      IF(FIND_IN_SET('auto_increment', REPLACE(c.extra, ' ', ',')) > 0,
                         ', "identity": "by default"', ''),
                      IF(c.coll IS NULL OR c.coll = tb.coll
                         OR EXISTS (SELECT 1 FROM premix_tmp_checks k
                                    WHERE k.t = c.t
                                      AND k.expr IN (CONCAT('json_valid(`', REPLACE(c.c, '`', '``'), '`)'),
                                                     CONCAT('json_valid("', REPLACE(c.c, '"', '""'), '")'))),
                         '', CONCAT(', "collation": ', JSON_QUOTE(c.coll))),
                      IF(c.cmt = '', '', CONCAT(', "comment": ', JSON_QUOTE(c.cmt))),
                      '}')
               ORDER BY c.pos SEPARATOR ', '), ']')
    FROM premix_tmp_columns c JOIN premix_tmp_tables tb ON tb.t = c.t
    GROUP BY c.t;

    -- index elements: name, (n) for a prefix, desc for a descending part
    INSERT INTO premix_tmp_parts
    SELECT s.t, 2, CONCAT('{"columns": [', GROUP_CONCAT(
               JSON_QUOTE(CONCAT(s.c, IFNULL(CONCAT('(', s.sub_part, ')'), ''), IF(s.ord = 'D', ' desc', '')))
               ORDER BY s.seq SEPARATOR ', '), ']}')
    FROM premix_tmp_stats s
    WHERE s.i = 'PRIMARY'
    GROUP BY s.t;

    INSERT INTO premix_tmp_parts
    SELECT u.t, 3, CONCAT('[', GROUP_CONCAT(u.js ORDER BY CAST(u.i AS BINARY) SEPARATOR ', '), ']')
    FROM (SELECT s.t, s.i, CONCAT('{"name": ', JSON_QUOTE(s.i), ', "columns": [', GROUP_CONCAT(
                     JSON_QUOTE(CONCAT(s.c, IFNULL(CONCAT('(', s.sub_part, ')'), ''), IF(s.ord = 'D', ' desc', '')))
                     ORDER BY s.seq SEPARATOR ', '), ']}') AS js
          FROM premix_tmp_stats s
          WHERE s.non_unique = 0 AND s.i <> 'PRIMARY'
          GROUP BY s.t, s.i) u
    GROUP BY u.t;

    INSERT INTO premix_tmp_parts
    SELECT f.t, 4, CONCAT('[', GROUP_CONCAT(f.js ORDER BY CAST(f.k AS BINARY) SEPARATOR ', '), ']')
    FROM (SELECT fc.t, fc.k, CONCAT('{"name": ', JSON_QUOTE(fc.k),
                     ', "columns": [', GROUP_CONCAT(JSON_QUOTE(fc.c) ORDER BY fc.pos SEPARATOR ', '), ']',
                     ', "ref_table": ', JSON_QUOTE(MIN(fc.ref_t)),
                     ', "ref_columns": [', GROUP_CONCAT(JSON_QUOTE(fc.ref_c) ORDER BY fc.pos SEPARATOR ', '), ']',
                     ', "on_delete": ', JSON_QUOTE(LOWER(MIN(r.on_delete))),
                     ', "on_update": ', JSON_QUOTE(LOWER(MIN(r.on_update))), '}') AS js
          FROM premix_tmp_fkcols fc JOIN premix_tmp_refs r ON r.t = fc.t AND r.k = fc.k
          GROUP BY fc.t, fc.k) f
    GROUP BY f.t;

    INSERT INTO premix_tmp_parts
    SELECT k.t, 5, CONCAT('[', GROUP_CONCAT(
               CONCAT('{"name": ', JSON_QUOTE(k.k), ', "expression": ', JSON_QUOTE(k.expr), '}')
               ORDER BY CAST(k.k AS BINARY) SEPARATOR ', '), ']')
    FROM premix_tmp_checks k
    GROUP BY k.t;

    -- non-unique indexes, without the one InnoDB keeps for a foreign key
    INSERT INTO premix_tmp_parts
    SELECT x.t, 6, CONCAT('[', GROUP_CONCAT(x.js ORDER BY CAST(x.i AS BINARY) SEPARATOR ', '), ']')
    FROM (SELECT s.t, s.i,
                 GROUP_CONCAT(IF(s.sub_part IS NULL AND s.ord <> 'D', s.c, NULL) ORDER BY s.seq SEPARATOR '\0') AS plain,
                 COUNT(*) AS n, MIN(s.c) AS any_c,
                 CONCAT('{"name": ', JSON_QUOTE(s.i), ', "columns": [', GROUP_CONCAT(
                     JSON_QUOTE(CONCAT(s.c, IFNULL(CONCAT('(', s.sub_part, ')'), ''), IF(s.ord = 'D', ' desc', '')))
                     ORDER BY s.seq SEPARATOR ', '), '], "unique": false, "using": ',
                     JSON_QUOTE(LOWER(MIN(s.itype))), '}') AS js
          FROM premix_tmp_stats s
          WHERE s.non_unique = 1
          GROUP BY s.t, s.i) x
    WHERE NOT EXISTS (
        SELECT 1
        FROM (SELECT fc.t, fc.k, GROUP_CONCAT(fc.c ORDER BY fc.pos SEPARATOR '\0') AS cols,
                     MIN(IF(fc.pos = 1, fc.c, NULL)) AS first_c, COUNT(*) AS n
              FROM premix_tmp_fkcols fc GROUP BY fc.t, fc.k) fk
        WHERE fk.t = x.t AND fk.cols = x.plain AND fk.n = x.n
          AND (x.i = fk.k OR x.i = fk.first_c))
    GROUP BY x.t;

    -- the document
    SELECT CONCAT('{"format": 1, "dialect": "mysql", "tables": [',
                  IFNULL(GROUP_CONCAT(d.js ORDER BY CAST(d.t AS BINARY) SEPARATOR ', '), ''), ']}')
    INTO js
    FROM (SELECT tb.t,
                 CONCAT('{"name": ', JSON_QUOTE(tb.t),
                        IF(tb.cmt = '', '', CONCAT(', "comment": ', JSON_QUOTE(tb.cmt))),
                        ', "columns": ', p1.js,
                        IFNULL(CONCAT(', "primary_key": ', p2.js), ''),
                        IFNULL(CONCAT(', "unique": ', p3.js), ''),
                        IFNULL(CONCAT(', "foreign_keys": ', p4.js), ''),
                        IFNULL(CONCAT(', "checks": ', p5.js), ''),
                        IFNULL(CONCAT(', "indexes": ', p6.js), ''),
                        '}') AS js
          FROM premix_tmp_tables tb
          LEFT JOIN premix_tmp_parts p1 ON p1.t = tb.t AND p1.kind = 1
          LEFT JOIN premix_tmp_parts p2 ON p2.t = tb.t AND p2.kind = 2
          LEFT JOIN premix_tmp_parts p3 ON p3.t = tb.t AND p3.kind = 3
          LEFT JOIN premix_tmp_parts p4 ON p4.t = tb.t AND p4.kind = 4
          LEFT JOIN premix_tmp_parts p5 ON p5.t = tb.t AND p5.kind = 5
          LEFT JOIN premix_tmp_parts p6 ON p6.t = tb.t AND p6.kind = 6) d;

    DROP TEMPORARY TABLE IF EXISTS premix_tmp_tables, premix_tmp_columns, premix_tmp_stats,
        premix_tmp_fkcols, premix_tmp_refs, premix_tmp_checks,
        premix_tmp_parts;
    SET SESSION group_concat_max_len = saved_gcml;

    -- never a truncated or partial document
    IF js IS NULL THEN
        SET msg = CONCAT('premix_schema: the document of database "', db,
                         '" is larger than max_allowed_packet (', @@GLOBAL.max_allowed_packet,
                         ' bytes); raise it with SET GLOBAL max_allowed_packet');
        SIGNAL SQLSTATE '54000' SET MESSAGE_TEXT = msg;
    END IF;
    IF NOT JSON_VALID(js) THEN
        SET js = NULL;
        SET msg = CONCAT('premix_schema: the document of database "', db,
                         '" is not valid JSON (cut by group_concat_max_len?); this is a premix bug');
        SIGNAL SQLSTATE 'XX000' SET MESSAGE_TEXT = msg;
    END IF;
    SELECT COUNT(*) INTO n_listed
    FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = db AND TABLE_TYPE = 'BASE TABLE'
      AND TABLE_NAME <> 'premix_migrations' AND TABLE_NAME NOT LIKE 'premix\_trash\_%';
    SET n_exported = JSON_LENGTH(js, '$.tables');
    IF n_exported <> n_listed THEN
        SET js = NULL;
        SET msg = CONCAT('premix_schema: the document of database "', db, '" holds ', n_exported,
                         ' tables but information_schema lists ', n_listed,
                         '; a table whose columns you may not see, or the schema changed meanwhile');
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = msg;
    END IF;
END //

-- premix_exec(sql): run one statement (PREPARE/EXECUTE, under this
-- procedure's sql_mode: ANSI_QUOTES, strict).
CREATE PROCEDURE premix.premix_exec(IN stmt LONGTEXT CHARACTER SET utf8mb4)
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: run one statement of a plan'
BEGIN
    SET @premix_stmt = stmt;
    PREPARE premix_s FROM @premix_stmt;
    EXECUTE premix_s;
    DEALLOCATE PREPARE premix_s;
END //

-- premix_normalize(target, OUT js): the target as MariaDB itself spells it.
-- Created in a scratch database premix_scratch_<connection id> (premix's own,
-- never the user's: MySQL cannot roll DDL back), exported with premix_schema,
-- then dropped.  A target the server refuses fails here with its reason,
-- before any database of the user is touched.
CREATE PROCEDURE premix.premix_normalize(IN target LONGTEXT CHARACTER SET utf8mb4,
                                         OUT js LONGTEXT CHARACTER SET utf8mb4)
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: normalize a target through a scratch database'
BEGIN
    DECLARE scratch VARCHAR(64) DEFAULT CONCAT('premix_scratch_', CONNECTION_ID());
    DECLARE plan LONGTEXT CHARACTER SET utf8mb4;
    DECLARE i INT DEFAULT 0;
    DECLARE j INT;
    DECLARE n INT;
    DECLARE m INT;
    DECLARE stmt LONGTEXT CHARACTER SET utf8mb4;
    DECLARE msg TEXT CHARACTER SET utf8mb4;
    DECLARE building BOOLEAN DEFAULT FALSE;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        IF NOT building THEN
            RESIGNAL;   -- premix's own error about the target, as it is
        END IF;
        GET DIAGNOSTICS CONDITION 1 msg = MESSAGE_TEXT;
        SET @premix_stmt = CONCAT('DROP DATABASE IF EXISTS "', scratch, '"');
        PREPARE premix_s FROM @premix_stmt;
        EXECUTE premix_s;
        DEALLOCATE PREPARE premix_s;
        SET js = NULL;
        SET msg = LEFT(CONCAT('premix: MariaDB rejected the target: ', msg,
                              IFNULL(CONCAT(' (in: ', LEFT(stmt, 200), ')'), '')), 512);
        SIGNAL SQLSTATE '42P17' SET MESSAGE_TEXT = msg;
    END;

    SET js = NULL;
    SET plan = CONVERT(premix_diff('{"format": 1, "dialect": "mysql", "tables": []}', target,
                                   JSON_OBJECT('database', scratch)) USING utf8mb4);
    CALL premix.premix_raise_error(plan);
    SET building = TRUE;
    CALL premix.premix_exec(CONCAT('DROP DATABASE IF EXISTS "', scratch, '"'));
    CALL premix.premix_exec(CONCAT('CREATE DATABASE "', scratch, '" CHARACTER SET utf8mb4'));
    SET n = JSON_LENGTH(plan, '$.steps');
    WHILE i < n DO
        SET m = JSON_LENGTH(plan, CONCAT('$.steps[', i, '].sql'));
        SET j = 0;
        WHILE j < m DO
            SET stmt = JSON_UNQUOTE(JSON_EXTRACT(plan, CONCAT('$.steps[', i, '].sql[', j, ']')));
            CALL premix.premix_exec(stmt);
            SET j = j + 1;
        END WHILE;
        SET i = i + 1;
    END WHILE;
    SET stmt = NULL;
    CALL premix.premix_schema(scratch, js);
    CALL premix.premix_exec(CONCAT('DROP DATABASE "', scratch, '"'));
END //

-- premix_plan(db, target, options, OUT plan): the plan for database db, with
-- the target normalized (premix_normalize) and every data check answered:
-- premix_diff lists the counting queries it needs in facts_needed, this runs
-- them and asks again with their counts in options.facts.
CREATE PROCEDURE premix.premix_plan(IN db VARCHAR(64), IN target LONGTEXT CHARACTER SET utf8mb4,
                                    IN options LONGTEXT CHARACTER SET utf8mb4,
                                    OUT plan LONGTEXT CHARACTER SET utf8mb4)
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: the plan for database db to reach target, data checked'
BEGIN
    DECLARE cur LONGTEXT CHARACTER SET utf8mb4;
    DECLARE norm LONGTEXT CHARACTER SET utf8mb4;
    DECLARE opts LONGTEXT CHARACTER SET utf8mb4;
    DECLARE facts LONGTEXT CHARACTER SET utf8mb4 DEFAULT '{}';
    DECLARE q LONGTEXT CHARACTER SET utf8mb4;
    DECLARE rounds INT DEFAULT 0;
    DECLARE i INT;
    DECLARE n INT;

    SET plan = NULL;
    IF target IS NULL THEN
        SIGNAL SQLSTATE '22004' SET MESSAGE_TEXT = 'premix: the target is NULL; pass a target document {"tables": [...]}';
    END IF;
    IF options IS NOT NULL AND NOT JSON_VALID(options) THEN
        SIGNAL SQLSTATE '22P02' SET MESSAGE_TEXT = 'premix: options is not valid JSON';
    END IF;
    CALL premix.premix_schema(db, cur);
    CALL premix.premix_normalize(target, norm);
    SET opts = JSON_SET(IFNULL(options, '{}'), '$.database', db, '$.normalized', JSON_EXTRACT(norm, '$'));
    rounds_loop: LOOP
        SET plan = CONVERT(premix_diff(cur, target, JSON_SET(opts, '$.facts', JSON_EXTRACT(facts, '$'))) USING utf8mb4);
        CALL premix.premix_raise_error(plan);
        IF NOT JSON_EXISTS(plan, '$.facts_needed') THEN
            LEAVE rounds_loop;
        END IF;
        SET rounds = rounds + 1;
        IF rounds > 8 THEN
            SIGNAL SQLSTATE 'XX000' SET MESSAGE_TEXT = 'premix: the data checks did not settle after 8 rounds; this is a premix bug';
        END IF;
        SET n = JSON_LENGTH(plan, '$.facts_needed');
        SET i = 0;
        WHILE i < n DO
            SET q = JSON_UNQUOTE(JSON_EXTRACT(plan, CONCAT('$.facts_needed[', i, ']')));
            CALL premix.premix_exec(CONCAT('SELECT (', q, ') INTO @premix_fact'));
            SET facts = JSON_MERGE_PATCH(facts, JSON_OBJECT(q, CAST(@premix_fact AS INTEGER)));
            SET i = i + 1;
        END WHILE;
    END LOOP rounds_loop;
END //

-- premix_preview(db, target): the plan as text, step by step (one row).
CREATE PROCEDURE premix.premix_preview(IN db VARCHAR(64), IN target LONGTEXT CHARACTER SET utf8mb4)
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: what migrating database db to target would do'
BEGIN
    DECLARE plan LONGTEXT CHARACTER SET utf8mb4;
    DECLARE txt LONGTEXT CHARACTER SET utf8mb4;

    CALL premix.premix_plan(db, target, NULL, plan);
    SET txt = CONVERT(premix_preview(plan) USING utf8mb4);
    CALL premix.premix_raise_error(txt);
    SELECT txt AS premix_preview;
END //

-- premix_migrate(db, target, allow_destructive): migrate database db to
-- target, step by step (MySQL DDL commits each statement on its own), each
-- completed step recorded in premix.premix_migration_steps.  A blocked step,
-- or a destructive one without allow_destructive, refuses the whole plan
-- before anything runs.  When a step fails, the migration is left 'failed'
-- with the step and the server's reason; calling premix_migrate again with
-- the same target resumes it (the plan is made again from where the schema
-- is now), premix_rollback undoes its completed steps.  Returns one row: the
-- result as JSON.
CREATE PROCEDURE premix.premix_migrate(IN db VARCHAR(64), IN target LONGTEXT CHARACTER SET utf8mb4,
                                       IN allow_destructive BOOLEAN)
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: migrate database db to target, step by step, resumable'
BEGIN
    DECLARE pl LONGTEXT CHARACTER SET utf8mb4;
    DECLARE checksum CHAR(64) DEFAULT SHA2(target, 256);
    DECLARE mid BIGINT DEFAULT NULL;
    DECLARE prev_status VARCHAR(16);
    DECLARE prev_checksum CHAR(64);
    DECLARE done_before INT DEFAULT 0;
    DECLARE lockname VARCHAR(128) DEFAULT CONCAT('premix:', db);
    DECLARE n INT;
    DECLARE i INT DEFAULT 0;
    DECLARE j INT;
    DECLARE m INT;
    DECLARE cnt BIGINT;
    DECLARE stmt LONGTEXT CHARACTER SET utf8mb4;
    DECLARE what TEXT CHARACTER SET utf8mb4;
    DECLARE msg TEXT CHARACTER SET utf8mb4;
    DECLARE errno INT;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        GET DIAGNOSTICS CONDITION 1 msg = MESSAGE_TEXT, errno = MYSQL_ERRNO;
        IF mid IS NOT NULL AND i < n THEN
            UPDATE premix.premix_migrations
               SET status = 'failed', failed_step = i + 1, finished_at = CURRENT_TIMESTAMP(6),
                   error = CONCAT('step ', i + 1, ' of ', n, ' (', what, '): ', msg)
             WHERE id = mid;
            DO RELEASE_LOCK(lockname);
            SET msg = LEFT(CONCAT('premix_migrate: step ', i + 1, ' of ', n, ' (', what, ') failed: ', msg,
                                  ' HINT: ', i, ' step(s) before it are applied and recorded (migration ', mid,
                                  '); fix the cause and CALL premix.premix_migrate again with the same target to resume,',
                                  ' or CALL premix.premix_rollback(''', db, ''') to undo them.'), 512);
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg, MYSQL_ERRNO = errno;
        END IF;
        DO RELEASE_LOCK(lockname);
        RESIGNAL;
    END;

    IF db IS NULL THEN
        SIGNAL SQLSTATE '3D000' SET MESSAGE_TEXT = 'premix_migrate: the database name is NULL';
    END IF;
    IF GET_LOCK(lockname, 10) IS NULL OR IS_USED_LOCK(lockname) <> CONNECTION_ID() THEN
        SIGNAL SQLSTATE '55P03' SET MESSAGE_TEXT = 'premix_migrate: another session is migrating this database (lock premix:<db> held for 10 s)';
    END IF;

    -- a migration of db that failed: resume it (same target) or refuse
    SELECT id, status, target_checksum, steps_done INTO mid, prev_status, prev_checksum, done_before
      FROM premix.premix_migrations WHERE database_name = db ORDER BY id DESC LIMIT 1;
    IF prev_status = 'failed' AND prev_checksum <> checksum THEN
        SET msg = LEFT(CONCAT('premix_migrate: migration ', mid, ' of database "', db,
                              '" failed midway and this is another target HINT: CALL premix.premix_migrate with the same target to resume it,',
                              ' or CALL premix.premix_rollback(''', db, ''') to undo its completed steps first.'), 512);
        SET mid = NULL;
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = msg;
    END IF;
    IF prev_status IS NULL OR prev_status <> 'failed' THEN
        SET mid = NULL;
        SET done_before = 0;
    END IF;

    CALL premix.premix_plan(db, target, NULL, pl);
    SET n = JSON_LENGTH(pl, '$.steps');

    -- refuse before anything runs
    WHILE i < n DO
        IF JSON_VALUE(pl, CONCAT('$.steps[', i, '].safety')) = 'blocked'
           OR (JSON_VALUE(pl, CONCAT('$.steps[', i, '].safety')) = 'destructive' AND NOT IFNULL(allow_destructive, FALSE)) THEN
            SET msg = LEFT(CONCAT('premix_migrate: step ', i + 1, ' (', JSON_VALUE(pl, CONCAT('$.steps[', i, '].op')), ' ',
                                  JSON_VALUE(pl, CONCAT('$.steps[', i, '].object')), ') is ',
                                  JSON_VALUE(pl, CONCAT('$.steps[', i, '].safety')), ': ',
                                  JSON_UNQUOTE(JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].reason'))),
                                  IFNULL(CONCAT(' HINT: ', JSON_UNQUOTE(JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].hint')))), ''),
                                  ' Nothing was changed.'), 512);
            SET i = n;
            DO RELEASE_LOCK(lockname);
            IF JSON_VALUE(pl, '$.blocked') = 1 THEN
                SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = msg;
            END IF;
            SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = msg;
        END IF;
        SET i = i + 1;
    END WHILE;
    SET i = 0;

    IF n = 0 AND mid IS NULL THEN
        DO RELEASE_LOCK(lockname);
        SELECT JSON_OBJECT('status', 'unchanged', 'steps', 0) AS premix_migrate;
    ELSE
        IF mid IS NULL THEN
            INSERT INTO premix.premix_migrations (database_name, target_checksum, from_fingerprint, to_fingerprint, status,
                                                  steps_total, plan)
            VALUES (db, checksum, JSON_VALUE(pl, '$.from'), JSON_VALUE(pl, '$.to'), 'running', n, pl);
            SET mid = LAST_INSERT_ID();
        ELSE
            UPDATE premix.premix_migrations
               SET status = 'running', attempts = attempts + 1, steps_total = steps_done + n,
                   failed_step = NULL, error = NULL, plan = pl, finished_at = NULL
             WHERE id = mid;
        END IF;
        WHILE i < n DO
            SET what = CONCAT(JSON_VALUE(pl, CONCAT('$.steps[', i, '].op')), ' ',
                              JSON_UNQUOTE(JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].object'))));
            -- the step's checks: each counts the rows it would fail on
            SET m = JSON_LENGTH(pl, CONCAT('$.steps[', i, '].checks'));
            SET j = 0;
            WHILE j < m DO
                SET stmt = JSON_UNQUOTE(JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].checks[', j, ']')));
                CALL premix.premix_exec(CONCAT('SELECT (', stmt, ') INTO @premix_fact'));
                SET cnt = @premix_fact;
                IF cnt > 0 THEN
                    SET msg = LEFT(CONCAT(cnt, ' row(s) fail the check ', stmt, '; fix them'), 400);
                    SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = msg;
                END IF;
                SET j = j + 1;
            END WHILE;
            SET m = JSON_LENGTH(pl, CONCAT('$.steps[', i, '].sql'));
            SET j = 0;
            WHILE j < m DO
                SET stmt = JSON_UNQUOTE(JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].sql[', j, ']')));
                CALL premix.premix_exec(stmt);
                SET j = j + 1;
            END WHILE;
            INSERT INTO premix.premix_migration_steps (migration_id, seq, op, object, up_sql, down_sql, reversible, status)
            VALUES (mid, done_before + i + 1, JSON_VALUE(pl, CONCAT('$.steps[', i, '].op')),
                    JSON_UNQUOTE(JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].object'))),
                    JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].sql')),
                    JSON_EXTRACT(pl, CONCAT('$.steps[', i, '].down')),
                    JSON_VALUE(pl, CONCAT('$.steps[', i, '].reversible')) = 1, 'done');
            UPDATE premix.premix_migrations SET steps_done = steps_done + 1 WHERE id = mid;
            SET i = i + 1;
        END WHILE;
        UPDATE premix.premix_migrations
           SET status = 'done', finished_at = CURRENT_TIMESTAMP(6), to_fingerprint = JSON_VALUE(pl, '$.to')
         WHERE id = mid;
        DO RELEASE_LOCK(lockname);
        SELECT JSON_OBJECT('status', IF(done_before > 0, 'resumed', 'applied'), 'migration', CAST(mid AS INTEGER),
                           'steps', CAST(n AS INTEGER), 'steps_before', CAST(done_before AS INTEGER),
                           'warnings', JSON_EXTRACT(pl, '$.warnings')) AS premix_migrate;
    END IF;
END //

-- premix_rollback(db): undo the completed steps of the last migration of db
-- (done or failed) with their down SQL, newest first; each undone step is
-- marked so, so a rollback that fails midway can be called again.  Steps
-- whose data cannot come back (a dropped column or table) are undone in
-- structure and listed in the result's warnings.
CREATE PROCEDURE premix.premix_rollback(IN db VARCHAR(64))
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    COMMENT 'premix: undo the last migration of database db'
BEGIN
    DECLARE mid BIGINT DEFAULT NULL;
    DECLARE s INT;
    DECLARE downs LONGTEXT CHARACTER SET utf8mb4;
    DECLARE j INT;
    DECLARE m INT;
    DECLARE undone INT DEFAULT 0;
    DECLARE warns LONGTEXT CHARACTER SET utf8mb4 DEFAULT '[]';
    DECLARE lockname VARCHAR(128) DEFAULT CONCAT('premix:', db);
    DECLARE msg TEXT CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        GET DIAGNOSTICS CONDITION 1 msg = MESSAGE_TEXT;
        DO RELEASE_LOCK(lockname);
        IF mid IS NOT NULL THEN
            SET msg = LEFT(CONCAT('premix_rollback: undoing step ', s, ' of migration ', mid, ' failed: ', msg,
                                  ' HINT: ', undone, ' step(s) were undone and recorded; fix the cause and call premix_rollback again.'), 512);
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;
        END IF;
        RESIGNAL;
    END;

    IF db IS NULL THEN
        SIGNAL SQLSTATE '3D000' SET MESSAGE_TEXT = 'premix_rollback: the database name is NULL';
    END IF;
    IF GET_LOCK(lockname, 10) IS NULL OR IS_USED_LOCK(lockname) <> CONNECTION_ID() THEN
        SIGNAL SQLSTATE '55P03' SET MESSAGE_TEXT = 'premix_rollback: another session is migrating this database';
    END IF;
    SELECT id INTO mid FROM premix.premix_migrations
     WHERE database_name = db AND status IN ('done', 'failed', 'running') ORDER BY id DESC LIMIT 1;
    IF mid IS NULL THEN
        DO RELEASE_LOCK(lockname);
        SET msg = CONCAT('premix_rollback: database "', db, '" has no migration to roll back');
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = msg;
    END IF;
    steps_loop: LOOP
        SET s = NULL;
        SELECT seq, down_sql INTO s, downs FROM premix.premix_migration_steps
         WHERE migration_id = mid AND status = 'done' ORDER BY seq DESC LIMIT 1;
        IF s IS NULL THEN
            LEAVE steps_loop;
        END IF;
        IF EXISTS (SELECT 1 FROM premix.premix_migration_steps WHERE migration_id = mid AND seq = s AND NOT reversible) THEN
            SET warns = JSON_ARRAY_APPEND(warns, '$',
                (SELECT CONCAT('step ', seq, ' (', op, ' ', object, '): the structure is back, but not the data it dropped or changed')
                   FROM premix.premix_migration_steps WHERE migration_id = mid AND seq = s));
        END IF;
        SET m = JSON_LENGTH(downs);
        SET j = 0;
        WHILE j < m DO
            CALL premix.premix_exec(JSON_UNQUOTE(JSON_EXTRACT(downs, CONCAT('$[', j, ']'))));
            SET j = j + 1;
        END WHILE;
        UPDATE premix.premix_migration_steps SET status = 'undone' WHERE migration_id = mid AND seq = s;
        UPDATE premix.premix_migrations SET steps_done = steps_done - 1 WHERE id = mid;
        SET undone = undone + 1;
    END LOOP steps_loop;
    UPDATE premix.premix_migrations SET status = 'rolled back', finished_at = CURRENT_TIMESTAMP(6) WHERE id = mid;
    DO RELEASE_LOCK(lockname);
    SELECT JSON_OBJECT('status', 'rolled back', 'migration', CAST(mid AS INTEGER), 'steps', CAST(undone AS INTEGER),
                       'warnings', JSON_EXTRACT(warns, '$')) AS premix_rollback;
END //

DELIMITER ;

SET SESSION sql_mode = @premix_saved_sql_mode;
