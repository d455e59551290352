#!/bin/sh
# The MariaDB migration procedures end to end: premix.premix_plan,
# premix_preview, premix_migrate, premix_rollback and the premix_diff UDF
# against a live server, asserting what the server holds afterwards (rows,
# information_schema, SHOW CREATE TABLE, the ledger premix.premix_migrations)
# and the text of every refusal.
#
#   sh tests/mysql/migrate.sh
#
# Needs $MDB (the client command; tests/mysql/server.sh prints it) and premix
# installed in that server (premix_udf.so + mysql_premix/premix.sql); called by
# tests/mysql/run.sh.  Standalone:
#   sh tests/mysql/server.sh start /tmp/mig > /tmp/mig.env; eval "$(cat /tmp/mig.env)"
#   make -s mysql; cp mysql_premix/premix_udf.so $MDB_PLUGIN_DIR/.n && mv $MDB_PLUGIN_DIR/.n $MDB_PLUGIN_DIR/premix_udf.so
#   $MDB < mysql_premix/premix.sql; sh tests/mysql/migrate.sh; sh tests/mysql/server.sh stop /tmp/mig
#
# Prints PASS/FAIL lines (context indented after a FAIL) and exits 0; the
# runner counts the lines.  Every database it creates is named mg_<what>_<pid>,
# is dropped at the end, and its rows in premix's ledger are deleted.
#
# Covers: renames (column, table) keep rows and are RENAMEs; destructive
# drops refused then allowed; NOT NULL over NULLs blocked or backfilled;
# UNIQUE/FK/CHECK/narrowing over bad rows blocked with counts; idempotency;
# a step failing midway, refusal of another target, resume, rollback of a
# failed migration; rollback of a done one; round trips (premix_diff of a
# schema with itself, a portable target, a database's own document copied
# into an empty one); hostile table, column and database names; the scratch
# database gone after every call, also after MariaDB rejects the target; bad
# inputs (the server alive after each).  Last, because it crashed the server
# when written: a foreign key without a name in the target.
set -u
cd "$(dirname "$0")/../.."
: "${MDB:?MDB is not set: run tests/mysql/server.sh start DIR and eval its output}"

ok() { echo "PASS $1"; }
ko() { echo "FAIL $1"; shift; for l in "$@"; do echo "  $l"; done; }

# check NAME EXPECTED GOT
check() {
	if [ "$3" = "$2" ]; then ok "$1"; else ko "$1" "expected: $2" "got: $(printf '%s' "$3" | head -c 600)"; fi
}

# check_has NAME NEEDLE GOT: GOT contains NEEDLE
check_has() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*) ko "$1" "expected to contain: $2" "got: $(printf '%s' "$3" | head -c 600)" ;;
	esac
}

# check_lacks NAME NEEDLE GOT: GOT does not contain NEEDLE
check_lacks() {
	case $3 in
	*"$2"*) ko "$1" "expected not to contain: $2" "got: $(printf '%s' "$3" | head -c 600)" ;;
	*) ok "$1" ;;
	esac
}

# lit TEXT: TEXT as an SQL string literal
lit() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g; s/\\\\/\\\\\\\\/g")"; }
# bt NAME: NAME as a backquoted identifier
bt() { printf '`%s`' "$(printf '%s' "$1" | sed 's/`/``/g')"; }

# q SQL: raw output of one batch, stderr included
q() { $MDB -N -B -r -e "$1" 2>&1; }
# sqlstate OUT: the SQLSTATE of the client's ERROR line in OUT, or nothing
sqlstate() { printf '%s\n' "$1" | sed -n 's/^ERROR [0-9]* (\([0-9A-Z]\{5\}\)).*/\1/p' | head -1; }

# alive NAME: the server still answers; if not, nothing more can run
alive() {
	if [ "$(q 'SELECT 1')" = 1 ]; then ok "$1: server alive"; else
		ko "$1: server alive" "$(q 'SELECT 1' | tail -3)"
		if [ -n "${MDB_DIR:-}" ] && [ -f "$MDB_DIR/error.log" ]; then
			grep -E 'got signal|pmx_|premix_udf' "$MDB_DIR/error.log" | head -12 | cut -c1-200 | sed 's/^/  /'
		fi
		CLEANED=1
		exit 0
	fi
}

S=$$
DBS=""
# mkdb NAME: a fresh database NAME, dropped at the end
mkdb() {
	DBS="$DBS$1
"
	q "DROP DATABASE IF EXISTS $(bt "$1"); CREATE DATABASE $(bt "$1")"
}

CLEANED=0
cleanup() {
	[ "$CLEANED" = 1 ] && return 0
	CLEANED=1
	list=""
	while IFS= read -r d; do
		[ -n "$d" ] || continue
		q "DROP DATABASE IF EXISTS $(bt "$d")" >/dev/null
		list="$list${list:+, }$(lit "$d")"
	done <<EOF
$DBS
EOF
	[ -n "$list" ] && q "DELETE FROM premix.premix_migration_steps
		WHERE migration_id IN (SELECT id FROM premix.premix_migrations WHERE database_name IN ($list));
		DELETE FROM premix.premix_migrations WHERE database_name IN ($list)" >/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# migrate DB TARGET ALLOW: premix_migrate's output (its result row or the error)
migrate() { q "SET @t = $(lit "$2"); CALL premix.premix_migrate($(lit "$1"), @t, $3)"; }
# plan DB TARGET EXPR: EXPR over the plan @p of premix_plan(DB, TARGET)
plan() { q "SET @t = $(lit "$2"); CALL premix.premix_plan($(lit "$1"), @t, NULL, @p); SELECT $3"; }
# schema DB: premix_schema's document
schema() { q "CALL premix.premix_schema($(lit "$1"), @js); SELECT @js"; }
# ledger DB COLS: COLS of DB's last migration
ledger() { q "SELECT $2 FROM premix.premix_migrations WHERE database_name = $(lit "$1") ORDER BY id DESC LIMIT 1"; }
# nledger DB: how many migrations DB has
nledger() { q "SELECT COUNT(*) FROM premix.premix_migrations WHERE database_name = $(lit "$1")"; }
# steps DB: the recorded steps of DB's last migration, "op object status, ..."
steps() {
	q "SELECT GROUP_CONCAT(CONCAT(s.op, ' ', s.object, ' ', s.status) ORDER BY s.seq SEPARATOR ', ')
	   FROM premix.premix_migration_steps s
	   WHERE s.migration_id = (SELECT MAX(id) FROM premix.premix_migrations WHERE database_name = $(lit "$1"))"
}
# cols DB TABLE: its columns in order, comma separated
cols() {
	q "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ',') FROM information_schema.COLUMNS
	   WHERE TABLE_SCHEMA = $(lit "$1") AND TABLE_NAME = $(lit "$2")"
}
# tables DB: its base tables, sorted, comma separated
tables() {
	q "SELECT IFNULL(GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME SEPARATOR ','), '') FROM information_schema.TABLES
	   WHERE TABLE_SCHEMA = $(lit "$1") AND TABLE_TYPE = 'BASE TABLE'"
}
# no_scratch NAME: no premix_scratch_% database is left
no_scratch() {
	check "$1: no scratch database left" "0" \
		"$(q "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'premix\\_scratch\\_%'")"
}
# jv DOC PATH: JSON_VALUE of a document (a JSON result line)
jv() { q "SELECT JSON_VALUE($(lit "$1"), $(lit "$2"))"; }

echo "== migrate: rename a column and a table (renamed_from)"
DB=mg_ren_$S
mkdb "$DB"
q "CREATE TABLE $DB.users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(50));
   INSERT INTO $DB.users (email, name) VALUES ('a@x.org', 'Ann'), ('b@x.org', 'Bø ''quoted'''), ('c@x.org', NULL)"
rows_before=$(q "SELECT id, email, IFNULL(name, '<null>') FROM $DB.users ORDER BY id")
T='{"tables": [{"name": "users", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"},
 {"name": "mail", "type": "varchar(100)", "nullable": false, "renamed_from": "email"}, {"name": "name", "type": "varchar(50)"}],
 "primary_key": {"columns": ["id"]}}]}'
check "rename column: planned as one safe rename_column step" "rename_column	safe	1" \
	"$(plan "$DB" "$T" "JSON_VALUE(@p, '\$.steps[0].op'), JSON_VALUE(@p, '\$.steps[0].safety'), JSON_LENGTH(@p, '\$.steps')")"
check "rename column: the SQL is RENAME COLUMN" "ALTER TABLE \"$DB\".\"users\" RENAME COLUMN \"email\" TO \"mail\"" \
	"$(plan "$DB" "$T" "JSON_VALUE(@p, '\$.steps[0].sql[0]')")"
out=$(q "SET @t = $(lit "$T"); CALL premix.premix_preview('$DB', @t)")
check_has "rename column: premix_preview lists the step" "[safe] rename_column users.mail" "$out"
out=$(migrate "$DB" "$T" false)
check_has "rename column: applied" '"status": "applied"' "$out"
check "rename column: columns are id,mail,name" "id,mail,name" "$(cols "$DB" users)"
check "rename column: rows identical" "$rows_before" "$(q "SELECT id, mail, IFNULL(name, '<null>') FROM $DB.users ORDER BY id")"
check "rename column: the ledger holds one rename_column step, no drop/add" "rename_column mail done" "$(steps "$DB")"
check "rename column: the ledger's up SQL is a RENAME COLUMN" "1" \
	"$(q "SELECT up_sql LIKE '%RENAME COLUMN%' FROM premix.premix_migration_steps
		WHERE migration_id = (SELECT MAX(id) FROM premix.premix_migrations WHERE database_name = '$DB')")"
T2='{"tables": [{"name": "members", "renamed_from": "users", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"},
 {"name": "mail", "type": "varchar(100)", "nullable": false}, {"name": "name", "type": "varchar(50)"}], "primary_key": {"columns": ["id"]}}]}'
check "rename table: planned as one safe rename_table step" "rename_table	safe	1" \
	"$(plan "$DB" "$T2" "JSON_VALUE(@p, '\$.steps[0].op'), JSON_VALUE(@p, '\$.steps[0].safety'), JSON_LENGTH(@p, '\$.steps')")"
check "rename table: the SQL is RENAME TABLE" "RENAME TABLE \"$DB\".\"users\" TO \"$DB\".\"members\"" \
	"$(plan "$DB" "$T2" "JSON_VALUE(@p, '\$.steps[0].sql[0]')")"
out=$(migrate "$DB" "$T2" false)
check_has "rename table: applied" '"status": "applied"' "$out"
check "rename table: only members remains" "members" "$(tables "$DB")"
check "rename table: rows identical" "$rows_before" "$(q "SELECT id, mail, IFNULL(name, '<null>') FROM $DB.members ORDER BY id")"
check "rename table: AUTO_INCREMENT carries on" "4" "$(q "INSERT INTO $DB.members (mail) VALUES ('d@x.org'); SELECT MAX(id) FROM $DB.members")"
check "rename table: the ledger holds one rename_table step" "rename_table members done" "$(steps "$DB")"
no_scratch "rename"

echo "== migrate: drop a column (destructive)"
DB=mg_dcol_$S
mkdb "$DB"
q "CREATE TABLE $DB.t (id INT PRIMARY KEY, keep VARCHAR(20), legacy VARCHAR(20));
   INSERT INTO $DB.t VALUES (1, 'k1', 'old1'), (2, 'k2', 'old2')"
before=$(schema "$DB")
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "keep", "type": "varchar(20)"}],
 "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T" false)
check "drop column without allow_destructive: SQLSTATE 55000" "55000" "$(sqlstate "$out")"
check_has "drop column refused: the message names the column" "column legacy" "$out"
check_has "drop column refused: the message names the way out" "allow_destructive = true" "$out"
check_has "drop column refused: says nothing changed" "Nothing was changed" "$out"
check "drop column refused: premix_schema unchanged" "$before" "$(schema "$DB")"
check "drop column refused: no ledger row" "0" "$(nledger "$DB")"
out=$(migrate "$DB" "$T" true)
check_has "drop column with allow_destructive: applied" '"status": "applied"' "$out"
check "drop column allowed: the column is gone" "id,keep" "$(cols "$DB" t)"
check "drop column allowed: other values intact" "1	k1
2	k2" "$(q "SELECT id, keep FROM $DB.t ORDER BY id")"
check "drop column allowed: the ledger step is drop_column" "drop_column legacy done" "$(steps "$DB")"

echo "== migrate: drop a table (destructive)"
DB=mg_dtab_$S
mkdb "$DB"
q "CREATE TABLE $DB.keep (id INT PRIMARY KEY); CREATE TABLE $DB.old (id INT PRIMARY KEY, v VARCHAR(10));
   INSERT INTO $DB.keep VALUES (1); INSERT INTO $DB.old VALUES (1, 'x'), (2, 'y')"
before=$(schema "$DB")
T='{"tables": [{"name": "keep", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T" false)
check "drop table without allow_destructive: SQLSTATE 55000" "55000" "$(sqlstate "$out")"
check_has "drop table refused: the message names the table" "table old" "$out"
check_has "drop table refused: the message names the way out" "allow_destructive = true" "$out"
check "drop table refused: premix_schema unchanged, rows kept" "$before
2" "$(schema "$DB"; q "SELECT COUNT(*) FROM $DB.old")"
out=$(migrate "$DB" "$T" true)
check_has "drop table with allow_destructive: applied" '"status": "applied"' "$out"
check "drop table allowed: the table is gone" "keep" "$(tables "$DB")"

echo "== migrate: NOT NULL over NULLs"
DB=mg_nn_$S
mkdb "$DB"
q "CREATE TABLE $DB.t (id INT PRIMARY KEY, nick VARCHAR(20) NULL);
   INSERT INTO $DB.t VALUES (1, NULL), (2, 'bob'), (3, NULL)"
before=$(schema "$DB")
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false},
 {"name": "nick", "type": "varchar(20)", "nullable": false}], "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T" true)
check "NOT NULL without default: blocked (SQLSTATE 23000), even with allow_destructive" "23000" "$(sqlstate "$out")"
check_has "NOT NULL blocked: the message names the column" "column nick" "$out"
check_has "NOT NULL blocked: the message counts the NULL rows" "2 rows hold NULL" "$out"
check_has "NOT NULL blocked: the hint says declare a default" 'Declare a default for column "nick"' "$out"
check "NOT NULL blocked: nothing changed (schema, rows, ledger)" "$before
1	<null>
2	bob
3	<null>
0" "$(schema "$DB"; q "SELECT id, IFNULL(nick, '<null>') FROM $DB.t ORDER BY id"; nledger "$DB")"
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false},
 {"name": "nick", "type": "varchar(20)", "nullable": false, "default": "'"'none'"'"}], "primary_key": {"columns": ["id"]}}]}'
check "NOT NULL with a default: planned as warn, not blocked" "warn	0" \
	"$(plan "$DB" "$T" "JSON_VALUE(@p, '\$.steps[0].safety'), JSON_VALUE(@p, '\$.blocked') = 'true'")"
out=$(migrate "$DB" "$T" false)
check_has "NOT NULL with a default: applied" '"status": "applied"' "$out"
check "NOT NULL with a default: the NULL rows hold the default" "1	none
2	bob
3	none" "$(q "SELECT id, nick FROM $DB.t ORDER BY id")"
check "NOT NULL with a default: the column is NOT NULL DEFAULT 'none'" "NO	'none'" \
	"$(q "SELECT IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$DB' AND TABLE_NAME = 't' AND COLUMN_NAME = 'nick'")"
check "NOT NULL with a default: a NULL is refused now" "1048" \
	"$(q "INSERT INTO $DB.t VALUES (4, NULL)" | sed -n 's/^ERROR \([0-9]*\).*/\1/p')"

echo "== migrate: constraints over rows that break them (blocked)"
DB=mg_blk_$S
mkdb "$DB"
q "CREATE TABLE $DB.p (id INT PRIMARY KEY); INSERT INTO $DB.p VALUES (1);
   CREATE TABLE $DB.t (id INT PRIMARY KEY, tag VARCHAR(20), age INT, ref INT, name VARCHAR(50));
   INSERT INTO $DB.t VALUES (1, 'a', 5, 1, 'short'), (2, 'a', -1, 7, 'twelve chars'), (3, 'b', -2, 8, 'ok'),
                            (4, 'b', 3, NULL, 'ten chars!'), (5, 'c', 1, 1, 'z')"
# blk EXTRA NAME_TYPE: the target of database mg_blk, t with EXTRA keys
blk() {
	printf '%s' '{"tables": [{"name": "p", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}},
 {"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "tag", "type": "varchar(20)"},
 {"name": "age", "type": "integer"}, {"name": "ref", "type": "integer"}, {"name": "name", "type": "'"$2"'"}],
 "primary_key": {"columns": ["id"]}'"$1"'}]}'
}
before=$(schema "$DB")
rows=$(q "SELECT * FROM $DB.t ORDER BY id")
check "the target of the current schema: 0 steps" "0" "$(plan "$DB" "$(blk '' 'varchar(50)')" "JSON_LENGTH(@p, '\$.steps')")"
out=$(migrate "$DB" "$(blk ', "unique": [{"name": "t_tag_key", "columns": ["tag"]}]' 'varchar(50)')" true)
check "UNIQUE over duplicates: blocked (23000)" "23000" "$(sqlstate "$out")"
check_has "UNIQUE over duplicates: the message names the key and counts the duplicated values" "unique key (tag) cannot be added: 2 values occur more than once" "$out"
check_has "UNIQUE over duplicates: the hint's counting query names the database (runnable as printed)" "FROM \"$DB\".\"t\"" "$out"
out=$(migrate "$DB" "$(blk ', "foreign_keys": [{"name": "t_ref_fk", "columns": ["ref"], "ref_table": "p", "ref_columns": ["id"]}]' 'varchar(50)')" true)
check "FK over orphans: blocked (23000)" "23000" "$(sqlstate "$out")"
check_has "FK over orphans: the message names the key and counts the orphans" "foreign key (ref) -> p(id) cannot be added: 2 rows point at no row of p" "$out"
out=$(migrate "$DB" "$(blk ', "checks": [{"name": "t_age_check", "expression": "age >= 0"}]' 'varchar(50)')" true)
check "CHECK over violators: blocked (23000)" "23000" "$(sqlstate "$out")"
check_has "CHECK over violators: the message names the check and counts the rows" "check (age >= 0) cannot be added: 2 rows violate it" "$out"
out=$(migrate "$DB" "$(blk '' 'varchar(5)')" true)
check "narrowing varchar(50) -> varchar(5) over long values: blocked (23000)" "23000" "$(sqlstate "$out")"
check_has "narrowing blocked: the message names the column and counts the values" "2 values of column name do not fit type varchar(5)" "$out"
check "blocked: nothing changed (schema, rows, ledger)" "$before
$rows
0" "$(schema "$DB"; q "SELECT * FROM $DB.t ORDER BY id"; nledger "$DB")"
no_scratch "blocked"
q "UPDATE $DB.t SET name = LEFT(name, 5)" >/dev/null
rows=$(q "SELECT * FROM $DB.t ORDER BY id")
out=$(migrate "$DB" "$(blk '' 'varchar(5)')" false)
check "narrowing without long values: destructive, refused without allow_destructive (55000)" "55000" "$(sqlstate "$out")"
check_has "narrowing refused: names the column and the way out" 'Pass allow_destructive = true to narrow column "name"' "$out"
check "narrowing refused: type unchanged" "varchar(50)" \
	"$(q "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$DB' AND TABLE_NAME = 't' AND COLUMN_NAME = 'name'")"
out=$(migrate "$DB" "$(blk '' 'varchar(5)')" true)
check_has "narrowing with allow_destructive: applied" '"status": "applied"' "$out"
check "narrowing applied: varchar(5), values intact" "varchar(5)
$rows" "$(q "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$DB' AND TABLE_NAME = 't' AND COLUMN_NAME = 'name'; SELECT * FROM $DB.t ORDER BY id")"

echo "== migrate: the same target twice"
DB=mg_idem_$S
mkdb "$DB"
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"},
 {"name": "v", "type": "varchar(20)", "nullable": false, "default": "'"'x'"'"}], "primary_key": {"columns": ["id"]},
 "indexes": [{"name": "t_v_idx", "columns": ["v"]}]}]}'
out=$(migrate "$DB" "$T" false)
check_has "first time: applied" '"status": "applied"' "$out"
no_scratch "applied"
check "first time: one ledger row, done" "1 done" "$(nledger "$DB") $(ledger "$DB" status)"
out=$(migrate "$DB" "$T" false)
check "second time: unchanged" '{"status": "unchanged", "steps": 0}' "$out"
check "second time: no new ledger row" "1" "$(nledger "$DB")"
check "second time: premix_plan has 0 steps" "0" "$(plan "$DB" "$T" "JSON_LENGTH(@p, '\$.steps')")"

echo "== migrate: a step fails midway, resume"
DB=mg_fail_$S
mkdb "$DB"
# premix does not list views as tables: the CREATE TABLE zz of the target fails
q "CREATE TABLE $DB.a (id INT PRIMARY KEY); INSERT INTO $DB.a VALUES (1), (2); CREATE VIEW $DB.zz AS SELECT 1 AS x"
T='{"tables": [{"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "note", "type": "varchar(20)"}],
 "primary_key": {"columns": ["id"]}}, {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}},
 {"name": "zz", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}]}'
check "the plan: create b, create zz, add a.note" "create_table b, create_table zz, add_column note" \
	"$(plan "$DB" "$T" "CONCAT_WS(', ', CONCAT(JSON_VALUE(@p, '\$.steps[0].op'), ' ', JSON_VALUE(@p, '\$.steps[0].object')),
		CONCAT(JSON_VALUE(@p, '\$.steps[1].op'), ' ', JSON_VALUE(@p, '\$.steps[1].object')),
		CONCAT(JSON_VALUE(@p, '\$.steps[2].op'), ' ', JSON_VALUE(@p, '\$.steps[2].object')))")"
out=$(migrate "$DB" "$T" false)
check_has "failing step: the error names the step and the server's reason" "step 2 of 3 (create_table zz) failed: Table 'zz' already exists" "$out"
check_has "failing step: the hint says resume or roll back" "CALL premix.premix_migrate again with the same target to resume" "$out"
check "failing step: the migration is 'failed' at step 2, 1 step done, 1 attempt" "failed	2	1	3	1" \
	"$(ledger "$DB" "status, failed_step, steps_done, steps_total, attempts")"
check_has "failing step: the ledger's error names the step" "step 2 of 3 (create_table zz): Table 'zz' already exists" "$(ledger "$DB" error)"
check "failing step: the earlier step is recorded" "create_table b done" "$(steps "$DB")"
check "failing step: b exists, a not yet changed" "a,b
id" "$(tables "$DB"; cols "$DB" a)"
no_scratch "failed step"
T2='{"tables": [{"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T2" true)
check "another target while failed: refused (55000)" "55000" "$(sqlstate "$out")"
check_has "another target refused: names the way out" "failed midway and this is another target" "$out"
check "another target refused: nothing changed" "a,b	failed" "$(tables "$DB" | tr -d '\n'; printf '\t'; ledger "$DB" status)"
q "DROP VIEW $DB.zz" >/dev/null
out=$(migrate "$DB" "$T" false)
check_has "same target again: resumed" '"status": "resumed"' "$out"
check_has "resumed: 1 step before, 2 now" '"steps": 2, "steps_before": 1' "$out"
check "resumed: the migration is done, 3 of 3 steps, 2 attempts" "done	3	3	2	" \
	"$(ledger "$DB" "status, steps_done, steps_total, attempts, IFNULL(failed_step, '')")"
check "resumed: every step recorded once" "create_table b done, create_table zz done, add_column note done" "$(steps "$DB")"
check "resumed: the schema is the target's, rows kept" "a,b,zz
id,note
1
2" "$(tables "$DB"; cols "$DB" a; q "SELECT id FROM $DB.a ORDER BY id")"
check "resumed: one migration in the ledger" "1" "$(nledger "$DB")"

echo "== rollback of a failed migration"
DB=mg_fail2_$S
mkdb "$DB"
q "CREATE TABLE $DB.a (id INT PRIMARY KEY); INSERT INTO $DB.a VALUES (1), (2); CREATE VIEW $DB.zz AS SELECT 1 AS x"
before=$(schema "$DB")
out=$(migrate "$DB" "$T" false)
check "rollback of a failed migration: it failed at create_table zz" "failed	2" "$(ledger "$DB" "status, failed_step")"
out=$(q "CALL premix.premix_rollback('$DB')")
check_has "rollback of the failed migration: 1 step undone" '"status": "rolled back"' "$out"
check_has "rollback of the failed migration: counts the step" '"steps": 1' "$out"
check "rollback of the failed migration: schema as before, ledger 'rolled back'" "$before
rolled back" "$(schema "$DB"; ledger "$DB" status)"
T3='{"tables": [{"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "other", "type": "integer"}],
 "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T3" false)
check_has "after the rollback, another target is accepted" '"status": "applied"' "$out"
check "after the rollback, another target is accepted: a has other" "id,other" "$(cols "$DB" a)"

echo "== rollback of a done migration"
DB=mg_rb_$S
mkdb "$DB"
q "CREATE TABLE $DB.a (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO $DB.a VALUES (1, 'x'), (2, 'y')"
before=$(schema "$DB")
create_before=$(q "SHOW CREATE TABLE $DB.a")
T='{"tables": [{"name": "a", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "name", "type": "varchar(20)"},
 {"name": "note", "type": "varchar(20)", "default": "'"'n'"'"}], "primary_key": {"columns": ["id"]}, "indexes": [{"name": "a_name_ix", "columns": ["name"]}]},
 {"name": "b", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T" false)
check_has "migrate (a column, an index, a table): applied" '"steps": 3' "$out"
check "migrated: a has note and a_name_ix, b exists" "a,b
id,name,note
a_name_ix" "$(tables "$DB"; cols "$DB" a; q "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '$DB' AND TABLE_NAME = 'a' AND INDEX_NAME <> 'PRIMARY'")"
out=$(q "CALL premix.premix_rollback('$DB')")
check_has "rollback: status rolled back" '"status": "rolled back", "migration": ' "$out"
check_has "rollback: 3 steps undone" '"steps": 3' "$out"
check "rollback: premix_schema equal to the one before" "$before" "$(schema "$DB")"
check "rollback: SHOW CREATE TABLE equal to the one before" "$create_before" "$(q "SHOW CREATE TABLE $DB.a")"
check "rollback: rows intact" "1	x
2	y" "$(q "SELECT * FROM $DB.a ORDER BY id")"
check "rollback: the ledger says 'rolled back', 0 steps done, every step undone" "rolled back	0
undone" "$(ledger "$DB" "status, steps_done"; q "SELECT GROUP_CONCAT(DISTINCT status) FROM premix.premix_migration_steps
		WHERE migration_id = (SELECT MAX(id) FROM premix.premix_migrations WHERE database_name = '$DB')")"
out=$(q "CALL premix.premix_rollback('$DB')")
check "rollback again: 55000" "55000" "$(sqlstate "$out")"
check_has "rollback again: nothing left to roll back" "premix_rollback: database \"$DB\" has no migration to roll back" "$out"
DB=mg_norb_$S
mkdb "$DB"
out=$(q "CALL premix.premix_rollback('$DB')")
check_has "rollback with no migration: a clear error" "premix_rollback: database \"$DB\" has no migration to roll back" "$out"
alive "rollback"

echo "== round trips"
DB=mg_real_$S
mkdb "$DB"
out=$($MDB "$DB" <tests/mysql/realistic.sql 2>&1)
check "realistic schema created" "" "$out"
out=$(q "CALL premix.premix_schema('$DB', @js); SELECT JSON_LENGTH(CONVERT(premix_diff(@js, @js) USING utf8mb4), '\$.steps')")
if [ "$out" = 0 ]; then ok "premix_diff(schema, schema) of the realistic schema: 0 steps"; else
	ko "premix_diff(schema, schema) of the realistic schema: 0 steps" "got: $out steps, e.g.:" \
		"$(q "CALL premix.premix_schema('$DB', @js); SET @p = CONVERT(premix_diff(@js, @js) USING utf8mb4);
			SELECT JSON_VALUE(@p, CONCAT('\$.steps[', seq, '].reason')) FROM mysql.seq_0_to_4" | tr '\n' '|')"
fi
out=$(q "CALL premix.premix_schema('$DB', @js); CALL premix.premix_plan('$DB', @js, NULL, @p); SELECT JSON_LENGTH(@p, '\$.steps')")
if [ "$out" = 0 ]; then ok "premix_plan(db, premix_schema(db)) of the realistic schema: 0 steps"; else
	ko "premix_plan(db, premix_schema(db)) of the realistic schema: 0 steps" "got: $out steps:" \
		"$(q "CALL premix.premix_schema('$DB', @js); CALL premix.premix_plan('$DB', @js, NULL, @p);
			SELECT CONCAT(JSON_VALUE(@p, CONCAT('\$.steps[', seq, '].safety')), ': ', JSON_VALUE(@p, CONCAT('\$.steps[', seq, '].reason')))
			FROM mysql.seq_0_to_9 WHERE seq < JSON_LENGTH(@p, '\$.steps')" | tr '\n' '|')"
fi
# the realistic document copied into an empty database
DB2=mg_copy_$S
mkdb "$DB2"
out=$(q "CALL premix.premix_schema('$DB', @js); CALL premix.premix_migrate('$DB2', @js, false)")
check_has "premix_schema(realistic) migrated into an empty database: applied" '"status": "applied"' "$out"
check "the copy: the same tables" "$(tables "$DB")" "$(tables "$DB2")"
out=$(q "CALL premix.premix_schema('$DB', @a); CALL premix.premix_schema('$DB2', @b); SELECT premix_parity(@a, @b)")
check "the copy: premix_parity(original, copy) = []" "[]" "$out"
out=$(q "CALL premix.premix_schema('$DB', @js); CALL premix.premix_plan('$DB2', @js, NULL, @p); SELECT JSON_LENGTH(@p, '\$.steps'), JSON_EXTRACT(@p, '\$.steps[*].reason')")
check "the copy: premix_plan with the same document again: 0 steps" "0	NULL" "$out"
no_scratch "round trip"

DB=mg_port_$S
mkdb "$DB"
T='{"tables": [
 {"name": "orgs", "columns": [
   {"name": "id", "type": "integer", "nullable": false, "identity": "by default"},
   {"name": "name", "type": "varchar(100)", "nullable": false},
   {"name": "plan", "type": "varchar(20)", "nullable": false, "default": "'"'free'"'"},
   {"name": "created_at", "type": "timestamp", "nullable": false, "default": "CURRENT_TIMESTAMP"}],
  "primary_key": {"columns": ["id"]},
  "unique": [{"name": "orgs_name_key", "columns": ["name"]}]},
 {"name": "users", "columns": [
   {"name": "id", "type": "bigint", "nullable": false, "identity": "by default"},
   {"name": "org_id", "type": "integer"},
   {"name": "email", "type": "varchar(255)", "nullable": false},
   {"name": "active", "type": "boolean", "nullable": false, "default": "true"},
   {"name": "age", "type": "smallint"},
   {"name": "balance", "type": "numeric(10,2)", "nullable": false, "default": "0"},
   {"name": "bio", "type": "text"},
   {"name": "settings", "type": "json"},
   {"name": "born", "type": "date"},
   {"name": "seen_at", "type": "timestamp"}],
  "primary_key": {"columns": ["id"]},
  "unique": [{"name": "users_email_key", "columns": ["email"]}],
  "foreign_keys": [{"name": "users_org_fk", "columns": ["org_id"], "ref_table": "orgs", "ref_columns": ["id"], "on_delete": "cascade"}],
  "checks": [{"name": "users_age_check", "expression": "age >= 0"}],
  "indexes": [{"name": "users_born_idx", "columns": ["born", "age"]}]}]}'
out=$(migrate "$DB" "$T" false)
check_has "portable target into an empty database: applied" '"status": "applied"' "$out"
check "portable target: tables and columns" "orgs,users
id,org_id,email,active,age,balance,bio,settings,born,seen_at" "$(tables "$DB"; cols "$DB" users)"
check "portable target: types as MariaDB spells them" "int(11) tinyint(1) decimal(10,2) longtext date datetime(6)" \
	"$(q "SELECT GROUP_CONCAT(COLUMN_TYPE ORDER BY ORDINAL_POSITION SEPARATOR ' ') FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = '$DB' AND TABLE_NAME = 'users' AND COLUMN_NAME IN ('org_id', 'active', 'balance', 'settings', 'born', 'seen_at')")"
check "portable target: the foreign key, ON DELETE CASCADE" "users_org_fk	orgs	CASCADE" \
	"$(q "SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$DB'")"
check "portable target: the check and the index" "users_age_check
users_born_idx	born,age" "$(q "SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$DB' AND CONSTRAINT_NAME = 'users_age_check';
		SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '$DB' AND INDEX_NAME = 'users_born_idx' GROUP BY INDEX_NAME")"
check "portable target: the check works (age -1 refused)" "4025" \
	"$(q "INSERT INTO $DB.users (email, age) VALUES ('x', -1)" | sed -n 's/^ERROR \([0-9]*\).*/\1/p')"
check "portable target: premix_plan with the same target: 0 steps" "0" "$(plan "$DB" "$T" "JSON_LENGTH(@p, '\$.steps')")"
check "portable target again: unchanged" '{"status": "unchanged", "steps": 0}' "$(migrate "$DB" "$T" false)"
out=$(q "CALL premix.premix_schema('$DB', @js); SELECT JSON_LENGTH(CONVERT(premix_diff(@js, @js) USING utf8mb4), '\$.steps')")
check "premix_diff(schema, schema) of the migrated portable schema: 0 steps" "0" "$out"
alive "round trips"

echo "== hostile identifiers"
DB=mg_host_$S
mkdb "$DB"
q "CREATE TABLE $DB.\`we\"ird;t\` (id INT PRIMARY KEY, \`co\`\`l\` VARCHAR(20));
   INSERT INTO $DB.\`we\"ird;t\` VALUES (1, 'v''1;\"'), (2, 'v\`2');
   CREATE TABLE $DB.sentinel (id INT PRIMARY KEY); INSERT INTO $DB.sentinel VALUES (1)"
rows=$(q "SELECT * FROM $DB.\`we\"ird;t\` ORDER BY id")
check "premix_schema reads the names" '["we\"ird;t", "co`l"]' \
	"$(q "CALL premix.premix_schema('$DB', @js); SELECT JSON_ARRAY(JSON_VALUE(@js, '\$.tables[1].name'), JSON_VALUE(@js, '\$.tables[1].columns[1].name'))")"
T=$(cat <<'EOF'
{"tables": [{"name": "sentinel", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}},
 {"name": "n\"t; DROP TABLE sentinel; -- `x", "renamed_from": "we\"ird;t", "columns": [{"name": "id", "type": "integer", "nullable": false},
  {"name": "c`o\"l;2", "renamed_from": "co`l", "type": "varchar(20)"},
  {"name": "x'y`\"); DROP TABLE sentinel", "type": "varchar(40)", "nullable": false, "default": "'a''b\"; DROP TABLE sentinel; --'"}],
 "primary_key": {"columns": ["id"]}}]}
EOF
)
out=$(migrate "$DB" "$T" false)
check_has "hostile names: applied" '"status": "applied"' "$out"
check_has "hostile names: 3 steps" '"steps": 3' "$out"
NT='n"t; DROP TABLE sentinel; -- `x'
check "hostile names: the tables are the renamed one and sentinel" "$NT,sentinel" "$(tables "$DB")"
check "hostile names: the columns" "id,c\`o\"l;2,x'y\`\"); DROP TABLE sentinel" "$(cols "$DB" "$NT")"
check "hostile names: rows survive; the new column holds the default" "$(printf '%s\n' "$rows" | while IFS= read -r l; do printf '%s\ta'"'"'b"; DROP TABLE sentinel; --\n' "$l"; done)" \
	"$(q "SELECT * FROM $DB.$(bt "$NT") ORDER BY id")"
check "hostile names: nothing else executed (sentinel intact, 2 tables, 1 row)" "1	2" \
	"$(q "SELECT (SELECT COUNT(*) FROM $DB.sentinel), (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$DB')")"
check "hostile names: the ledger" "rename_table $NT done, rename_column c\`o\"l;2 done, add_column x'y\`\"); DROP TABLE sentinel done" "$(steps "$DB")"
check "hostile names: the same target again is unchanged" '{"status": "unchanged", "steps": 0}' "$(migrate "$DB" "$T" false)"
out=$(q "CALL premix.premix_rollback('$DB')")
check_has "hostile names: rollback" '"status": "rolled back"' "$out"
check "hostile names: rolled back to the old names, rows intact" "sentinel,we\"ird;t
id,co\`l
$rows" "$(tables "$DB"; cols "$DB" 'we"ird;t'; q "SELECT * FROM $DB.\`we\"ird;t\` ORDER BY id")"
# a hostile database name
DB="mg_q\"d'b;\`$S"
mkdb "$DB"
q "CREATE TABLE $(bt "$DB").t (id INT PRIMARY KEY, a INT); INSERT INTO $(bt "$DB").t VALUES (1, 10), (2, NULL)"
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false},
 {"name": "b", "renamed_from": "a", "type": "integer", "nullable": false, "default": "0"}], "primary_key": {"columns": ["id"]},
 "checks": [{"name": "t_b_check", "expression": "b >= 0"}]}]}'
out=$(migrate "$DB" "$T" false)
check_has "hostile database name: applied" '"status": "applied"' "$out"
check "hostile database name: renamed, backfilled, checked" "id,b
1	10
2	0
t_b_check" "$(cols "$DB" t; q "SELECT * FROM $(bt "$DB").t ORDER BY id;
	SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = $(lit "$DB")")"
out=$(q "CALL premix.premix_rollback($(lit "$DB"))")
check_has "hostile database name: rollback" '"status": "rolled back"' "$out"
check "hostile database name: rolled back" "id,a" "$(cols "$DB" t)"
no_scratch "hostile names"
alive "hostile names"

echo "== targets MariaDB rejects (the scratch database)"
DB=mg_rej_$S
mkdb "$DB"
q "CREATE TABLE $DB.t (id INT PRIMARY KEY); INSERT INTO $DB.t VALUES (1)"
before=$(schema "$DB")
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "c", "type": "nosuchtype"}], "primary_key": {"columns": ["id"]}}]}'
out=$(migrate "$DB" "$T" false)
check_has "type nosuchtype: the target was rejected" "MariaDB rejected the target" "$out"
check_has "type nosuchtype: the server's reason" "nosuchtype" "$out"
no_scratch "type nosuchtype"
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]},
 "checks": [{"expression": "id > > 1"}]}]}'
out=$(migrate "$DB" "$T" false)
check_has "check that does not parse: the target was rejected" "MariaDB rejected the target" "$out"
check_has "check that does not parse: the server's reason" "error in your SQL syntax" "$out"
no_scratch "check that does not parse"
T='{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]},
 "checks": [{"expression": "nosuchcol > 1"}]}]}'
out=$(migrate "$DB" "$T" false)
check_has "check on an unknown column: rejected with the server's reason" "Unknown column 'nosuchcol'" "$out"
no_scratch "check on an unknown column"
out=$(q "SET @t = $(lit "$T"); CALL premix.premix_plan('$DB', @t, NULL, @p)")
check_has "premix_plan of a rejected target: rejected too" "MariaDB rejected the target" "$out"
out=$(q "SET @t = $(lit "$T"); CALL premix.premix_preview('$DB', @t)")
check_has "premix_preview of a rejected target: rejected too" "MariaDB rejected the target" "$out"
no_scratch "premix_plan and premix_preview"
check "rejected targets: the database unchanged, no ledger row" "$before
0" "$(schema "$DB"; nledger "$DB")"
alive "rejected targets"

echo "== bad inputs"
E='{"tables": []}'
out=$(q "CALL premix.premix_migrate('$DB', NULL, false)")
check_has "premix_migrate(NULL target): error" "ERROR 1644 (22004)" "$out"
check_has "premix_migrate(NULL target): says the target is NULL" "the target is NULL" "$out"
alive "NULL target"
out=$(q "SET @t = $(lit "$E"); CALL premix.premix_migrate(NULL, @t, false)")
check_has "premix_migrate(NULL db): error" "ERROR 1644 (3D000)" "$out"
check_has "premix_migrate(NULL db): says the database name is NULL" "the database name is NULL" "$out"
alive "NULL db"
out=$(migrate "" "$E" false)
check_has "premix_migrate('' db): unknown database" 'unknown database ""' "$out"
out=$(migrate "mg_nosuch_$S" "$E" false)
check_has "premix_migrate(unknown database): error naming it" "unknown database \"mg_nosuch_$S\"" "$out"
alive "unknown database"
out=$(migrate "$DB" '{"tables": [{"name": "t",' false)
check_has "malformed JSON target: the error gives the position" "(position 25)" "$out"
check_has "malformed JSON target: says malformed JSON" "malformed JSON in target" "$out"
check_lacks "malformed JSON target: not blamed on MariaDB (premix's own parser refused it)" "MariaDB rejected" "$out"
alive "malformed JSON"
out=$(migrate "$DB" '{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nulable": false}]}]}' false)
check_has "unknown key nulable: the error names the key path" 'unknown key "nulable" at tables[0].columns[0].nulable' "$out"
check_has "unknown key nulable: the hint names the nearest key" 'Did you mean "nullable"?' "$out"
alive "unknown key"
out=$(migrate "$DB" '[]' false)
check_has "target [] (not an object): a clear error" "the target must be a JSON object, not array" "$out"
out=$(migrate "$DB" '{}' false)
check_has "target {}: tables is required" "tables is required" "$out"
out=$(migrate "$DB" '' false)
check_has "empty target: malformed JSON at position 0" "(position 0)" "$out"
no_scratch "bad targets"
check "bad targets: the database unchanged, no ledger row" "$before
0" "$(schema "$DB"; nledger "$DB")"
out=$(q "SET @t = $(lit "$E"); CALL premix.premix_plan('$DB', @t, 'xx', @p)")
check_has "premix_plan(options not JSON): error" "options is not valid JSON" "$out"
out=$(q "SET @t = $(lit "$E"); CALL premix.premix_plan('$DB', @t, '{\"scpe\": \"all\"}', @p)")
check_has "premix_plan(unknown option): names the nearest key" 'Did you mean "scope"?' "$out"
out=$(q "CALL premix.premix_preview('$DB', NULL)")
check_has "premix_preview(NULL target): error" "the target is NULL" "$out"
out=$(q "CALL premix.premix_rollback(NULL)")
check_has "premix_rollback(NULL db): says the database name is NULL" "the database name is NULL" "$out"
out=$(q "SELECT JSON_VALUE(CONVERT(premix_diff(NULL, '$E') USING utf8mb4), '\$.error.message')")
check "premix_diff(NULL, target): error object" "premix_diff: argument 1 (current_json) is NULL" "$out"
out=$(q "SELECT JSON_VALUE(CONVERT(premix_diff('$E', '$E') USING utf8mb4), '\$.error.message')")
check "premix_diff(a document without dialect, ...): error object" 'the current schema is not a MySQL schema document (its "dialect" is not "mysql")' "$out"
out=$(q "SELECT JSON_VALUE(CONVERT(premix_preview('{') USING utf8mb4), '\$.error.sqlstate')")
check "premix_preview(malformed plan): error object 22P02" "22P02" "$out"
alive "bad inputs"

cleanup
check "every test database dropped" "0" \
	"$(q "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'mg\\_%\\_$S' OR SCHEMA_NAME LIKE 'mg\\_q%$S'")"
check "their ledger rows deleted" "0" "$(q "SELECT COUNT(*) FROM premix.premix_migrations WHERE database_name LIKE 'mg\\_%$S'")"

# Last: it crashed the server (SIGSEGV in the UDF) when this was written.
echo "== a foreign key without a name"
CLEANED=0
DBS=""
DB=mg_fkanon_$S
mkdb "$DB"
T='{"tables": [{"name": "p", "columns": [{"name": "id", "type": "integer", "nullable": false}], "primary_key": {"columns": ["id"]}},
 {"name": "c", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "p_id", "type": "integer"}], "primary_key": {"columns": ["id"]},
  "foreign_keys": [{"columns": ["p_id"], "ref_table": "p", "ref_columns": ["id"], "on_delete": "cascade"}]}]}'
out=$(migrate "$DB" "$T" false)
alive "unnamed foreign key"
check_has "unnamed foreign key: applied" '"status": "applied"' "$out"
check "unnamed foreign key: created, ON DELETE CASCADE" "p	CASCADE" \
	"$(q "SELECT REFERENCED_TABLE_NAME, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$DB'")"
exit 0
