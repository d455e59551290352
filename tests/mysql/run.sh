#!/bin/sh
# The MySQL/MariaDB host against a throwaway MariaDB (tests/mysql/server.sh).
#   sh tests/mysql/run.sh [DIR]      DIR: scratch directory (default tests/results/mysql)
# Prints PASS/FAIL lines (counted by tests/run.sh), context after a FAIL,
#
# Covers: the build (make mysql), install (premix.sql, twice), UDF
# registration, premix_parity on equal documents, bad inputs to every UDF
# (the server must survive each: SELECT 1 after every one), rows with
# mixed good and bad input, concurrent callers, premix_raise_error,
# premix_schema on a realistic schema (golden file, deterministic, session
# left as it was), the document read by the UDF and by the SQLite
# extension, a 500-table schema past the default group_concat_max_len, an
# oversized document refused rather than truncated, and the server's error
# log free of crashes.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
D=${1:-$ROOT/tests/results/mysql}
case $D in /*) ;; *) D=$ROOT/$D ;; esac
T=$D/work
EXP=$ROOT/tests/mysql/expected

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

echo "== build"
mkdir -p "$(dirname "$D")"
if make -s mysql sqlite >"$D.build.log" 2>&1; then ok "build (make mysql sqlite)"; else
	ko "build (make mysql sqlite)"; cat "$D.build.log"; exit 1
fi

# the shim without a server, ASan+UBSan (MYSQL_ASAN=0 skips it)
if [ "${MYSQL_ASAN:-1}" != 0 ]; then
	echo "== UDF shim under ASan+UBSan (tests/mysql/test_udf.c)"
	if make -s build/mysql/test_udf >"$D.asan.log" 2>&1; then
		ASAN_OPTIONS=detect_leaks=1 build/mysql/test_udf >"$D.asan.out" 2>&1
		rc=$?
		sed -n 's/^\(PASS\|FAIL\) /\1 udf: /p; /^  /p' "$D.asan.out"
		if [ $rc != 0 ] && ! grep -q '^FAIL' "$D.asan.out"; then ko "udf: test_udf (exit $rc)" "$(tail -30 "$D.asan.out")"; fi
	else ko "udf: test_udf (build)" "$(tail -30 "$D.asan.log")"; fi
fi

echo "== server"
stop() { sh tests/mysql/server.sh stop "$D"; }
trap stop EXIT
trap 'exit 130' INT TERM
if ! exports=$(sh tests/mysql/server.sh start "$D"); then ko "server start"; exit 1; fi
eval "$exports"
ok "server start ($(sed -n 's/.*Version: .\([^ ]*\)'"'"'.*/\1/p' "$D/error.log" | head -1))"
mkdir -p "$T"

# q SQL: raw output of one batch, stderr included
q() { $MDB -N -B -r -e "$1" 2>&1; }
# qdb DB SQL
qdb() { $MDB -N -B -r "$1" -e "$2" 2>&1; }
# alive NAME: the server still answers
alive() {
	if [ "$(q 'SELECT 1')" = 1 ]; then ok "$1: server alive"; else
		ko "$1: server alive" "$(tail -30 "$D/error.log")"; exit 1
	fi
}

echo "== install"
# a new file name, then a rename: a loaded .so is never overwritten in place
cp mysql_premix/premix_udf.so "$MDB_PLUGIN_DIR/.premix_udf.so.new" && mv "$MDB_PLUGIN_DIR/.premix_udf.so.new" "$MDB_PLUGIN_DIR/premix_udf.so"
out=$($MDB <mysql_premix/premix.sql 2>&1)
check "premix.sql installs" "" "$out"
out=$($MDB <mysql_premix/premix.sql 2>&1)
check "premix.sql runs again over an install (idempotent)" "" "$out"
check "UDFs registered in mysql.func" "premix_diff premix_parity premix_preview premix_version" \
	"$(q "SELECT GROUP_CONCAT(name ORDER BY name SEPARATOR ' ') FROM mysql.func WHERE dl = 'premix_udf.so'")"
check "premix_version()" "0.1.0" "$(q 'SELECT premix_version()')"

echo "== premix_parity"
E='{"format": 1, "dialect": "mysql", "tables": []}'
S='{"format": 1, "dialect": "mysql", "tables": [{"name": "t", "columns": [{"name": "id", "type": "int(11)", "nullable": false, "identity": "by default"}, {"name": "flag", "type": "tinyint(1)", "nullable": false, "default": "1"}], "primary_key": {"columns": ["id"]}}]}'
L='{"format": 1, "dialect": "sqlite", "tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "nullable": false, "identity": "by default"}, {"name": "flag", "type": "boolean", "nullable": false, "default": "1"}], "primary_key": {"columns": ["id"]}}]}'
check "parity of two empty documents" "[]" "$(q "SELECT premix_parity('$E', '$E')")"
check "parity of equal documents" "[]" "$(q "SELECT premix_parity('$S', '$S')")"
check "parity mysql vs sqlite (int(11)/integer, tinyint(1)/boolean)" "[]" "$(q "SELECT premix_parity('$S', '$L')")"
check_has "parity reports a mismatch" '"path": "t", "a": "table", "b": "(none)", "why": "table only in A"' \
	"$(q "SELECT premix_parity('$S', '$E')")"

echo "== bad inputs"
out=$(q "SELECT premix_version(1)")
check_has "premix_version(1): refused at init" "premix_version takes no arguments, not 1" "$out"
alive "premix_version(1)"
out=$(q "SELECT premix_parity()")
check_has "premix_parity(): refused at init" "premix_parity takes 2 arguments (a_json, b_json), not 0" "$out"
alive "premix_parity()"
out=$(q "SELECT premix_parity('$E')")
check_has "premix_parity(a): refused at init" "premix_parity takes 2 arguments (a_json, b_json), not 1" "$out"
alive "premix_parity(a)"
out=$(q "SELECT premix_parity('$E', '$E', '$E')")
check_has "premix_parity(a, b, c): refused at init" "not 3" "$out"
alive "premix_parity(a, b, c)"
out=$(q "SELECT JSON_VALUE(premix_parity(NULL, '$E'), '\$.error.sqlstate'), JSON_VALUE(premix_parity(NULL, '$E'), '\$.error.message')")
check "premix_parity(NULL, b): error object" "22004	premix_parity: argument 1 (a_json) is NULL" "$out"
alive "premix_parity(NULL, b)"
out=$(q "SELECT JSON_VALUE(premix_parity('$E', NULL), '\$.error.message')")
check "premix_parity(a, NULL): error object" "premix_parity: argument 2 (b_json) is NULL" "$out"
alive "premix_parity(a, NULL)"
out=$(q "SELECT premix_parity(NULL, NULL) IS NULL, JSON_EXISTS(premix_parity(NULL, NULL), '\$.error')")
check "premix_parity(NULL, NULL): not NULL, an error object" "0	1" "$out"
out=$(q "SELECT JSON_VALUE(premix_parity(42, '$E'), '\$.error.sqlstate'), JSON_VALUE(premix_parity(42, 4.5), '\$.error.sqlstate')")
check "premix_parity(42, ...): a number is coerced to text and refused as JSON" "22P02	22P02" "$out"
alive "premix_parity(42, 4.5)"
out=$(q "SELECT premix_parity('{\"format\": 1, \"tables\": [', '$E')")
check_has "premix_parity(malformed JSON): 22P02 error object" '{"error": {"sqlstate": "22P02", "message": "malformed JSON in document A' "$out"
alive "premix_parity(malformed JSON)"
out=$(q "SELECT JSON_VALUE(premix_parity('{\"tables\": []}', '$E'), '\$.error.message')")
check "premix_parity(document without dialect): error object" 'premix_parity: document A has no "dialect"' "$out"
out=$(q "SELECT JSON_VALUE(premix_parity('$E', '{\"format\": 1, \"dialect\": \"mysql\", \"tables\": [{\"name\": \"t\", \"colums\": []}]}'), '\$.error.hint')")
check_has "premix_parity(unknown key): hint names the nearest key" 'Did you mean "columns"?' "$out"
out=$(q "SELECT JSON_VALUE(premix_parity(CONCAT('$E', CHAR(0)), '$E'), '\$.error.message')")
check "premix_parity(text with a NUL byte): error object" "premix_parity: argument 1 (a_json) holds a NUL character" "$out"
alive "premix_parity(NUL byte)"
out=$(q "SELECT JSON_VALUE(premix_parity(REPEAT('[', 200000), '$E'), '\$.error.sqlstate')")
check "premix_parity(200000 nested arrays): error object, no stack overflow" "22P02" "$out"
alive "premix_parity(deep nesting)"
out=$(q "SELECT JSON_VALUE(premix_parity(CONCAT('\"', REPEAT('x', 8000000), '\"'), '$E'), '\$.error.sqlstate')")
check "premix_parity(an 8 MB string): error object" "22P02" "$out"
alive "premix_parity(8 MB)"
out=$(q "SELECT JSON_VALUE(premix_parity(_latin1 0xE9, '$E'), '\$.error.sqlstate'), JSON_VALUE(premix_parity(x'FFFE00', '$E'), '\$.error.sqlstate')")
check "premix_parity(invalid UTF-8, binary): error objects" "22P02	22P02" "$out"
alive "premix_parity(invalid UTF-8)"
# one statement, many rows: good, NULL, malformed, good -- each row its own answer
out=$(q "SELECT GROUP_CONCAT(IF(JSON_EXISTS(r, '\$.error'), JSON_VALUE(r, '\$.error.sqlstate'), r) ORDER BY n SEPARATOR ' ')
	FROM (SELECT n, premix_parity(d, '$E') AS r
	      FROM (SELECT 1 AS n, '$E' AS d UNION ALL SELECT 2, NULL UNION ALL SELECT 3, '{' UNION ALL SELECT 4, '$E') v) w")
check "premix_parity over rows (good, NULL, malformed, good)" "[] 22004 22P02 []" "$out"
alive "premix_parity over rows"
# premix_diff and premix_preview: the same contract
out=$(q "SELECT premix_diff('$E')")
check_has "premix_diff(a): refused at init" "premix_diff takes 2 to 3 arguments (current, target [, options]), not 1" "$out"
alive "premix_diff(a)"
out=$(q "SELECT premix_preview()")
check_has "premix_preview(): refused at init" "premix_preview takes 1 argument (plan), not 0" "$out"
alive "premix_preview()"
out=$(q "SELECT JSON_VALUE(premix_diff(NULL, '{}'), '\$.error.sqlstate'), JSON_VALUE(premix_diff('$E', NULL), '\$.error.message')")
check "premix_diff(NULL, ...), (..., NULL): error objects" "22004	premix_diff: argument 2 (target_json) is NULL" "$out"
alive "premix_diff(NULL)"
out=$(q "SELECT JSON_VALUE(premix_diff(42, 4.5), '\$.error.sqlstate'), JSON_VALUE(premix_diff('$E', '{\"tables\": ['), '\$.error.message')")
check_has "premix_diff(numbers; malformed target): 22P02, with the position" "22P02	malformed JSON in target at line 1" "$out"
alive "premix_diff(malformed)"
out=$(q "SELECT JSON_VALUE(premix_diff('$E', '{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\", \"nulable\": true}]}]}'), '\$.error.message')")
check_has "premix_diff(target with a typo): the key and its path" "tables[0].columns[0].nulable" "$out"
out=$(q "SELECT JSON_VALUE(premix_diff('$E', '{\"tables\": [{\"name\": \"c\", \"columns\": [{\"name\": \"pid\", \"type\": \"integer\"}], \"foreign_keys\": [{\"columns\": [\"pid\"], \"ref_table\": \"parnet\"}]}, {\"name\": \"parent\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}]}]}'), '\$.error.hint')")
check_has "premix_diff(FK to a missing table): the nearest name" '"parent"' "$out"
out=$(q "SELECT JSON_VALUE(premix_diff('$E', '{}', '{\"trash\": true}'), '\$.error.message'), JSON_VALUE(premix_diff('$E', '{}', '[1]'), '\$.error.sqlstate')")
check_has "premix_diff(bad options): error objects" "option trash is not available on MySQL/MariaDB" "$out"
out=$(q "SELECT JSON_LENGTH(premix_diff('$E', '{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}]}]}'), '\$.steps')")
check "premix_diff(empty, one table): one step" "1" "$out"
out=$(q "SELECT JSON_VALUE(premix_preview(NULL), '\$.error.sqlstate'), JSON_VALUE(premix_preview('{'), '\$.error.sqlstate'), JSON_VALUE(premix_preview('{\"tables\": []}'), '\$.error.sqlstate')")
check "premix_preview(NULL; malformed; a target): error objects" "22004	22P02	22023" "$out"
alive "premix_preview(bad input)"
out=$(q "SELECT CONVERT(premix_preview(premix_diff('$E', '{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}]}]}')) USING utf8mb4)")
check_has "premix_preview(premix_diff(...)): the step and its SQL" 'CREATE TABLE "t" ("id" INT NULL)' "$out"
out=$(q "SELECT premix_diff(REPEAT('[', 200000), '{}') IS NOT NULL, premix_preview(REPEAT('{\"a\":', 100000)) IS NOT NULL")
check "premix_diff/premix_preview(deep nesting): error objects, no stack overflow" "1	1" "$out"
alive "premix_diff(deep nesting)"

out=$(q "CALL premix.premix_raise_error(premix_parity('{', '$E'))")
check_has "premix_raise_error(error object): SIGNAL 45000 with message and SQLSTATE" \
	"ERROR 1644 (45000) at line 1: premix: malformed JSON in document A at line 1, column 2 (position 1): expected a member name in double quotes, found the end of the text (SQLSTATE 22P02)" "$out"
check_has "premix_raise_error: the hint is in the message" "HINT: " "$out"
check "premix_raise_error(a result): no error" "" "$(q "CALL premix.premix_raise_error(premix_parity('$E', '$E'))")"
out=$(q "CALL premix.premix_raise_error(NULL)")
check_has "premix_raise_error(NULL): SIGNAL" "ERROR 1644 (45000)" "$out"

echo "== premix_schema (realistic schema)"
q "DROP DATABASE IF EXISTS app; CREATE DATABASE app" >/dev/null
out=$($MDB app <tests/mysql/realistic.sql 2>&1)
check "realistic schema created" "" "$out"
qdb app "CALL premix.premix_schema('app', @js); SELECT @js" >"$T/app.json"
check "premix_schema: JSON_VALID" "1" "$(q "CALL premix.premix_schema('app', @js); SELECT JSON_VALID(@js)")"
qdb app "CALL premix.premix_schema('app', @js); SELECT JSON_DETAILED(@js)" >"$T/app.pretty"
if diff -u "$EXP/realistic.pretty" "$T/app.pretty" >"$T/app.diff" 2>&1; then ok "premix_schema: the expected document (expected/realistic.pretty)"
else ko "premix_schema: the expected document (expected/realistic.pretty)" "$(head -60 "$T/app.diff")"; fi
out=$(q "SET SESSION group_concat_max_len = 4096;
	CALL premix.premix_schema('app', @a); CALL premix.premix_schema('app', @b);
	SELECT @a = @b, @@SESSION.group_concat_max_len,
	       (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_TYPE = 'BASE TABLE')")
check "premix_schema: deterministic, group_concat_max_len restored, 5 tables" "1	4096	5" "$out"
out=$(echo "CALL premix.premix_schema('app', @js); SELECT COUNT(*) FROM premix.premix_tmp_parts;" | $MDB -N -B -r --force 2>&1)
check_has "premix_schema: no temporary table left behind" "Table 'premix.premix_tmp_parts' doesn't exist" "$out"
out=$(q "CALL premix.premix_schema('app', @js); SELECT premix_parity(@js, @js)")
check "premix_parity(schema, schema) via the UDF" "[]" "$out"
out=$(sqlite3 :memory: ".load sqlite_premix/premix" "SELECT premix_parity(readfile('$T/app.json'), readfile('$T/app.json'))" 2>&1)
check "the SQLite extension reads the document: premix_parity(doc, doc)" "[]" "$out"
out=$(q "CALL premix.premix_schema(NULL, @js)")
check_has "premix_schema(NULL): error" "ERROR 1644 (3D000) at line 1: premix_schema: the database name is NULL" "$out"
out=$(q "CALL premix.premix_schema('no_such_db', @js)")
check_has "premix_schema(unknown database): error" 'ERROR 1049 (42000) at line 1: premix_schema: unknown database "no_such_db"' "$out"
check "premix_schema of an empty database" '{"format": 1, "dialect": "mysql", "tables": []}' \
	"$(q "CREATE DATABASE IF NOT EXISTS empty_db; CALL premix.premix_schema('empty_db', @js); SELECT @js")"
alive "premix_schema"

echo "== MariaDB type spellings"
q "DROP DATABASE IF EXISTS types; CREATE DATABASE types" >/dev/null
out=$($MDB types <tests/mysql/types.sql 2>&1)
check "types schema created" "" "$out"
out=$(q "CALL premix.premix_schema('types', @js); SELECT JSON_VALID(@js), JSON_LENGTH(@js, '\$.tables[0].columns')")
check "premix_schema exports every type spelling" "1	$(grep -c '^ *c_' tests/mysql/types.sql)" "$out"
q "SELECT DISTINCT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'types' ORDER BY ORDINAL_POSITION" >"$T/types.txt"
out=$(q "CALL premix.premix_schema('types', @js); SELECT premix_parity(@js, @js)")
if [ "$out" = "[]" ]; then ok "premix_parity reads every MariaDB type spelling"; else
	refused=""
	while IFS= read -r t; do
		tj=$(printf '%s' "$t" | sed 's/\\/\\\\/g; s/"/\\"/g; s/'"'"'/'"''"'/g')
		doc="{\"format\": 1, \"dialect\": \"mysql\", \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"c\", \"type\": \"$tj\"}]}]}"
		[ "$(q "SELECT premix_parity('$doc', '$doc')")" = "[]" ] || refused="$refused $t;"
	done <"$T/types.txt"
	ko "premix_parity reads every MariaDB type spelling" "refused:$refused"
fi
check "premix_diff(schema, schema) of every type spelling: no step" "0" \
	"$(q "CALL premix.premix_schema('types', @js); SELECT JSON_LENGTH(CONVERT(premix_diff(@js, @js) USING utf8mb4), '\$.steps')")"
alive "types"

echo "== 500 tables"
# every table: 12 columns with comments, a key, a unique key, an index, a
# check and a foreign key; the document is past the default 1 MiB cap
{
	echo "CREATE TABLE t000 (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL);"
	i=1
	while [ $i -lt 500 ]; do
		n=$(printf '%03d' $i)
		echo "CREATE TABLE t$n (id INT AUTO_INCREMENT PRIMARY KEY COMMENT 'the key of table t$n, numbered by the server',
 parent_id INT COMMENT 'the parent row in table t000, deleted with it (on delete cascade)',
 name VARCHAR(50) NOT NULL DEFAULT 'x' COMMENT 'a name, unique in table t$n (t${n}_name_key)',
 amount DECIMAL(10,2) COMMENT 'an amount of money, never negative (a column check)' CHECK (amount >= 0),
 note_a VARCHAR(200) COMMENT 'free text a: whatever the application keeps here, up to 200 characters',
 note_b VARCHAR(200) COMMENT 'free text b: whatever the application keeps here, up to 200 characters',
 note_c TEXT COMMENT 'free text c: whatever the application keeps here, any length',
 flag TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'a boolean flag, false by default',
 score DOUBLE COMMENT 'a score, a double precision number',
 born DATE COMMENT 'a date without a time of day',
 created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'when the row was inserted, set by the server',
 updated_at TIMESTAMP NULL COMMENT 'when the row was last changed, set by the application',
 UNIQUE KEY t${n}_name_key (name), KEY t${n}_created_idx (created_at, name),
 CONSTRAINT t${n}_parent_fk FOREIGN KEY (parent_id) REFERENCES t000 (id) ON DELETE CASCADE)
 COMMENT 'table $n of 500: a generated table whose document is long enough that 500 of them pass the default group_concat_max_len of 1 MiB';"
		i=$((i + 1))
	done
} >"$T/big.sql"
q "DROP DATABASE IF EXISTS big; CREATE DATABASE big" >/dev/null
out=$($MDB big <"$T/big.sql" 2>&1)
check "500 tables created" "" "$out"
out=$(q "CALL premix.premix_schema('big', @js); SELECT JSON_VALID(@js), JSON_LENGTH(@js, '\$.tables'), LENGTH(@js) > 1048576,
	@@SESSION.group_concat_max_len, JSON_LENGTH(@js, '\$.tables[499].columns')")
check "premix_schema(500 tables): valid, 500 tables, > 1 MiB, group_concat_max_len restored" "1	500	1	1048576	12" "$out"
out=$(q "CALL premix.premix_schema('big', @js); SELECT premix_parity(@js, @js)")
check "premix_parity(500 tables, itself)" "[]" "$out"
out=$(q "CALL premix.premix_schema('big', @js); SELECT JSON_LENGTH(CONVERT(premix_diff(@js, @js) USING utf8mb4), '\$.steps')")
check "premix_diff(500 tables, itself): no step" "0" "$out"
# concurrent callers: 4 sessions, 10 calls each, on the 500-table document
qdb big "CALL premix.premix_schema('big', @js); SELECT @js" >"$T/big.json"
for k in 1 2 3 4; do
	( for j in 1 2 3 4 5 6 7 8 9 10; do
		$MDB -N -B -r -e "SET @d = LOAD_FILE('$T/big.json'); SELECT IF(@d IS NULL, 'LOAD_FILE failed', premix_parity(@d, @d))"
	done >"$T/conc.$k" 2>&1 ) &
done
wait
check "4 concurrent sessions x 10 calls" "[]" "$(sort -u "$T"/conc.? | tr '\n' ' ' | sed 's/ $//')"
alive "concurrent calls"
# a document larger than max_allowed_packet is refused, never cut
out=$(q "SET GLOBAL max_allowed_packet = 262144")
# (--force continues after an error only for statements read from stdin)
out=$(echo "SET SESSION group_concat_max_len = 4096; CALL premix.premix_schema('big', @js);
	SELECT @js IS NULL, @@SESSION.group_concat_max_len; SELECT COUNT(*) FROM premix.premix_tmp_parts;" |
	$MDB -N -B -r --force 2>&1)
q "SET GLOBAL max_allowed_packet = 16777216" >/dev/null
check_has "premix_schema over max_allowed_packet: an error" "premix_schema: the document of database \"big\" is larger than max_allowed_packet" "$out"
check_has "premix_schema after an error: no document, group_concat_max_len restored" "$(printf '1\t4096')" "$out"
check_has "premix_schema after an error: no temporary table left behind" "Table 'premix.premix_tmp_parts' doesn't exist" "$out"
alive "max_allowed_packet"

echo "== migrations (tests/mysql/migrate.sh)"
MDB="$MDB" sh tests/mysql/migrate.sh || ko "tests/mysql/migrate.sh (exit $?)"
alive "migrations"

echo "== server log"
if grep -Eqi 'got signal|assertion|stack trace|segmentation' "$D/error.log"; then
	ko "no crash in the server's error log" "$(grep -Ei -A5 'got signal|assertion|stack trace' "$D/error.log" | head -30)"
else ok "no crash in the server's error log"; fi
