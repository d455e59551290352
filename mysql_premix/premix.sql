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
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

DROP FUNCTION IF EXISTS premix_version;
DROP FUNCTION IF EXISTS premix_parity;
CREATE FUNCTION premix_version RETURNS STRING SONAME 'premix_udf.so';
CREATE FUNCTION premix_parity RETURNS STRING SONAME 'premix_udf.so';

CREATE DATABASE IF NOT EXISTS premix CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DROP PROCEDURE IF EXISTS premix.premix_raise_error;
DROP PROCEDURE IF EXISTS premix.premix_schema;

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
                                    WHERE k.t = c.t AND k.expr = CONCAT('json_valid(`', REPLACE(c.c, '`', '``'), '`)')),
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

DELIMITER ;

SET SESSION sql_mode = @premix_saved_sql_mode;
