#!/bin/sh
# premix command line, end to end: the same scenario against a real SQLite
# file and a real throwaway PostgreSQL 15 cluster, then once under valgrind.
# Prints one PASS/FAIL line per check (tests/run.sh counts them); every
# check asserts the exit status AND the state of the database or files.
#
# Usage: sh tests/cli/run.sh [OUTDIR]
#   CLI_BACKENDS="sqlite pg" (default) selects the databases.
#   PGTEST_PORT (default 5497) is the throwaway cluster's port.
#   PREMIX_CLI runs another build of the command (e.g. an ASan one); the
#   valgrind checks always use cli/premix.
# The PostgreSQL extension is (re)installed only when the built copy
# differs from the installed one.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${1:-tests/results/cli}
rm -rf "$OUT"; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
P=${PREMIX_CLI:-$ROOT/cli/premix}
EXT=$ROOT/sqlite_premix/premix
export PREMIX_SQLITE_EXT=$EXT
unset PREMIX_DB
BACKENDS=${CLI_BACKENDS:-"sqlite pg"}
export PGTEST_PORT=${PGTEST_PORT:-5497}
npass=0
nfail=0

if ! make -s cli sqlite >"$OUT/build.log" 2>&1; then
	echo "FAIL build"; tail -30 "$OUT/build.log"; exit 1
fi
echo "PASS build"

# --- helpers -----------------------------------------------------------------

# px ARGS...: runs the command; $rc, $OUT/o (stdout), $OUT/e (stderr)
px() { "$P" "$@" >"$OUT/o" 2>"$OUT/e"; rc=$?; }

# check NAME EXPR: PASS when the shell expression EXPR is true, else FAIL
# with the last command's exit status and output
check() {
	if eval "$2"; then npass=$((npass + 1)); echo "PASS $B/$1"
	else
		nfail=$((nfail + 1)); echo "FAIL $B/$1"
		echo "  expected: $2"; echo "  rc=$rc"
		sed 's/^/  out: /' "$OUT/o" | head -15; sed 's/^/  err: /' "$OUT/e" | head -15
	fi
}
out_has() { grep -q -- "$1" "$OUT/o"; }
err_has() { grep -q -- "$1" "$OUT/e"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
nfiles() { ls "$1" 2>/dev/null | wc -l | tr -d ' '; }

# per backend: q SQL (one value), cols TABLE, applied (ledger versions
# not rolled back, comma separated), state (schema + ledger dump)
q_sqlite() { sqlite3 -batch "$DBFILE" "$1" 2>&1; }
qx_sqlite() { sqlite3 -batch "$DBFILE" ".load $EXT" "$1" 2>&1; }
cols_sqlite() { q_sqlite "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('$1') ORDER BY cid)"; }
applied_sqlite() {
	qx_sqlite "SELECT coalesce(group_concat(v, ','), '') FROM (SELECT json_extract(value, '\$.version') AS v
		FROM json_each(premix_status(), '\$.migrations') WHERE json_extract(value, '\$.rolled_back_at') IS NULL ORDER BY v)"
}
state_sqlite() {
	q_sqlite "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name;
		SELECT * FROM premix_migrations ORDER BY 1; SELECT count(*) FROM users"
}

q_pg() { psql -X -q -A -t -d "$PGDB" -c "$1" 2>&1; }
qx_pg() { q_pg "$1"; }
cols_pg() {
	q_pg "SELECT coalesce(string_agg(column_name, ',' ORDER BY ordinal_position), '')
		FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1'"
}
applied_pg() {
	q_pg "SELECT coalesce(string_agg(v, ',' ORDER BY v), '') FROM (SELECT m->>'version' AS v
		FROM jsonb_array_elements(premix_status()->'migrations') m WHERE m->>'rolled_back_at' IS NULL) s"
}
state_pg() {
	q_pg "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
		FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
	q_pg "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
	q_pg "SELECT * FROM premix.migrations ORDER BY 1"
	q_pg "SELECT count(*) FROM users"
}

q() { "q_$B" "$@"; }
cols() { "cols_$B" "$@"; }
applied() { "applied_$B" "$@"; }
state() { "state_$B" >"$OUT/state.$1" 2>&1; }
same_state() { state after; cmp -s "$OUT/state.$1" "$OUT/state.after"; }

V1=20260101000001 V2=20260101000002 V3=20260101000003 V4=20260101000004 V5=20260101000005

# --- the scenario, run once per backend --------------------------------------
scenario() {
	W=$OUT/$B; rm -rf "$W"; mkdir -p "$W"
	M=$W/migrations
	cat >"$W/users.json" <<'EOF'
{"tables": [{"name": "users",
  "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "email", "type": "text"}],
  "primary_key": {"columns": ["id"]}}]}
EOF
	cat >"$W/users_name.json" <<'EOF'
{"tables": [{"name": "users",
  "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "email", "type": "text"},
              {"name": "name", "type": "text"}],
  "primary_key": {"columns": ["id"]}}]}
EOF

	# new: both files, from the plan; the database untouched
	px new create_users --db "$DB" --target "$W/users.json" --dir "$M" --stamp $V1
	check new/writes-both-files '[ $rc = 0 ] && [ -s "$M/${V1}_create_users.up.sql" ] && [ -s "$M/${V1}_create_users.down.sql" ] &&
		grep -qi "create table" "$M/${V1}_create_users.up.sql" && grep -qi "drop table" "$M/${V1}_create_users.down.sql" &&
		[ -z "$(cols users)" ]'
	up1=$(sha "$M/${V1}_create_users.up.sql")
	px new create_users --db "$DB" --target "$W/users_name.json" --dir "$M" --stamp $V1
	check new/refuses-overwrite '[ $rc = 1 ] && err_has "already exists" && [ "$(sha "$M/${V1}_create_users.up.sql")" = "$up1" ] && [ $(nfiles "$M") = 2 ]'
	px new Create-Users --db "$DB" --target "$W/users.json" --dir "$M"
	check new/refuses-bad-name '[ $rc = 1 ] && err_has "a-z0-9_" && [ $(nfiles "$M") = 2 ]'
	px new other --db "$DB" --target "$W/missing.json" --dir "$M"
	check new/missing-target '[ $rc = 1 ] && err_has "missing.json" && [ $(nfiles "$M") = 2 ]'

	# up: pending files in version order (002 needs 001's table)
	printf 'ALTER TABLE users ADD COLUMN name text;\n' >"$M/${V2}_add_name.up.sql"
	printf 'ALTER TABLE users DROP COLUMN name;\n' >"$M/${V2}_add_name.down.sql"
	px up --db "$DB" --dir "$M"
	check up/applies-in-order '[ $rc = 0 ] && [ "$(cols users)" = "id,email,name" ] && [ "$(applied)" = "$V1,$V2" ] &&
		out_has "applied ${V1}_create_users" && out_has "applied ${V2}_add_name"'
	q "INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'Ann')" >/dev/null
	state before
	px up --db "$DB" --dir "$M"
	check up/second-run-is-noop '[ $rc = 0 ] && out_has "nothing to do" && same_state before'

	# new with nothing to do writes nothing
	n=$(nfiles "$M")
	px new again --db "$DB" --target "$W/users_name.json" --dir "$M"
	check new/nothing-to-do '[ $rc = 0 ] && out_has "nothing to do" && [ $(nfiles "$M") = $n ] && [ $n = 4 ]'

	# an applied file edited: exit 1 naming both checksums, nothing applied
	f=$M/${V1}_create_users.up.sql
	cp "$f" "$W/saved.sql"; old=$(sha "$f")
	printf -- '-- edited\n' >>"$f"; new=$(sha "$f")
	px up --db "$DB" --dir "$M"
	check up/edited-file-refused '[ $rc = 1 ] && [ -n "$old" ] && [ "$old" != "$new" ] && err_has "$old" && err_has "$new" && err_has PX001 && same_state before'
	cp "$W/saved.sql" "$f"

	# a hand-written DROP COLUMN: refused (2) without --allow-destructive
	printf 'ALTER TABLE users DROP COLUMN name;\n' >"$M/${V3}_drop_name.up.sql"
	printf 'ALTER TABLE users ADD COLUMN name text;\n' >"$M/${V3}_drop_name.down.sql"
	px up --db "$DB" --dir "$M"
	check up/destructive-refused '[ $rc = 2 ] && [ "$(cols users)" = "id,email,name" ] && [ "$(applied)" = "$V1,$V2" ] && same_state before'
	px up --db "$DB" --dir "$M" --dry-run
	check up/dry-run-refused '[ $rc = 2 ] && err_has "dry run: rolled back" && same_state before'
	px up --db "$DB" --dir "$M" --dry-run --allow-destructive
	check up/dry-run-leaves-nothing '[ $rc = 0 ] && out_has "would apply ${V3}_drop_name" && out_has "destructive" && out_has "drop_column" &&
		same_state before'
	px up --db "$DB" --dir "$M" --allow-destructive
	check up/allow-destructive '[ $rc = 0 ] && [ "$(cols users)" = "id,email" ] && [ "$(applied)" = "$V1,$V2,$V3" ] &&
		[ "$(q "SELECT email FROM users WHERE id = 1")" = "a@example.com" ]'

	# blocked by the rows (duplicates under a new unique index): exit 2 even
	# with --allow-destructive, in a dry run too; nothing changed
	q "INSERT INTO users (id, email) VALUES (2, 'a@example.com')" >/dev/null
	printf 'CREATE UNIQUE INDEX users_email_uq ON users (email);\n' >"$M/${V4}_unique_email.up.sql"
	state before
	px up --db "$DB" --dir "$M" --allow-destructive
	check up/blocked-refused '[ $rc = 2 ] && err_has 23505 && err_has unique_email && same_state before'
	px up --db "$DB" --dir "$M" --dry-run
	check up/dry-run-blocked '[ $rc = 2 ] && err_has 23505 && err_has "dry run: rolled back" && same_state before'
	rm -f "$M/${V4}_unique_email.up.sql"
	q "DELETE FROM users WHERE id = 2" >/dev/null

	# dry run of a safe migration prints its effect and leaves nothing
	printf 'CREATE TABLE orders (id integer PRIMARY KEY, user_id integer);\n' >"$M/${V4}_create_orders.up.sql"
	printf 'DROP TABLE orders;\n' >"$M/${V4}_create_orders.down.sql"
	state before
	px up --db "$DB" --dir "$M" --dry-run
	check up/dry-run-prints-effect '[ $rc = 0 ] && out_has "would apply ${V4}_create_orders" && out_has "safe" && out_has "create_table" &&
		[ -z "$(cols orders)" ] && same_state before'
	px up --db "$DB" --dir "$M"
	check up/applies-new-file '[ $rc = 0 ] && [ "$(cols orders)" = "id,user_id" ] && [ "$(applied)" = "$V1,$V2,$V3,$V4" ]'

	# status: the ledger and the pending files
	printf 'CREATE TABLE later (id integer);\n' >"$M/${V5}_later.up.sql"
	px status --db "$DB" --dir "$M"
	check status/table-and-pending '[ $rc = 0 ] && out_has "version" && out_has "applied_at" && out_has "rolled_back_at" &&
		out_has "$V1 *create_users" && out_has "$V4 *create_orders" && out_has "pending" && out_has "${V5}_later" &&
		out_has "drift: none" && [ -z "$(cols later)" ]'
	rm -f "$M/${V5}_later.up.sql"

	# down: the newest; --dry-run; --to VERSION and after
	px down --db "$DB"
	check down/newest '[ $rc = 0 ] && out_has "rolled back ${V4}_create_orders" && [ -z "$(cols orders)" ] && [ "$(applied)" = "$V1,$V2,$V3" ]'
	state before
	px down --db "$DB" --dry-run
	check down/dry-run '[ $rc = 0 ] && out_has "would roll back ${V3}_drop_name" && same_state before'
	px down --db "$DB" --to $V2
	check down/to-version '[ $rc = 0 ] && out_has "rolled back ${V3}_drop_name" && out_has "rolled back ${V2}_add_name" &&
		[ "$(cols users)" = "id,email" ] && [ "$(applied)" = "$V1" ]'
	px status --db "$DB" --dir "$M"
	check status/rolled-back-pending '[ $rc = 0 ] && out_has "${V2}_add_name" && out_has "${V4}_create_orders" && out_has "pending"'
	px up --db "$DB" --dir "$M" --allow-destructive
	check up/reapplies-rolled-back '[ $rc = 0 ] && [ "$(applied)" = "$V1,$V2,$V3,$V4" ] && [ "$(cols users)" = "id,email" ] && [ "$(cols orders)" = "id,user_id" ]'

	# out of order: a file older than the newest applied one
	printf 'CREATE TABLE early (id integer);\n' >"$M/20251231000000_early.up.sql"
	state before
	px up --db "$DB" --dir "$M"
	check up/out-of-order-refused '[ $rc = 1 ] && err_has PX001 && [ -z "$(cols early)" ] && same_state before'
	px up --db "$DB" --dir "$M" --allow-out-of-order
	check up/allow-out-of-order '[ $rc = 0 ] && [ "$(cols early)" = "id" ] && [ "$(applied)" = "20251231000000,$V1,$V2,$V3,$V4" ]'

	[ "$B" = pg ] && after_commit

	# drift: a change made by hand, outside premix
	q "ALTER TABLE users ADD COLUMN hack text" >/dev/null
	px status --db "$DB" --dir "$M"
	check status/drift-exit-3 '[ $rc = 3 ] && out_has "drift" && [ "$(cols users)" = "id,email,hack" ]'

	# errors: clear message, exit 1
	px status --db "mysql://localhost/x"
	check errors/bad-url '[ $rc = 1 ] && err_has "unrecognised database URL"'
	px up --db "$DB" --dir "$W/no-such-dir"
	check errors/missing-dir '[ $rc = 1 ] && err_has "no-such-dir"'
	px diff --db "$DB" --target "$W/missing.json"
	check errors/missing-target '[ $rc = 1 ] && err_has "could not open file"'
	px up --dir "$M"
	check errors/no-db '[ $rc = 1 ] && err_has "no database given"'
	px up --db "$DB" --dir "$M" --bogus
	check errors/unknown-option '[ $rc = 1 ] && err_has "unknown option"'
}

# PostgreSQL: statements after "-- premix:after-commit" run after the commit
after_commit() {
	f=$M/20260101000006_items.up.sql
	printf 'CREATE TABLE items (id integer PRIMARY KEY, label text);\n-- premix:after-commit\nCREATE INDEX CONCURRENTLY items_label_idx ON items (label);\n' >"$f"
	state before
	px up --db "$DB" --dir "$M" --dry-run
	check up/after-commit-dry-run '[ $rc = 0 ] && out_has "would run after commit: CREATE INDEX CONCURRENTLY" && [ -z "$(cols items)" ] && same_state before'
	px up --db "$DB" --dir "$M"
	check up/after-commit '[ $rc = 0 ] && out_has "after commit: CREATE INDEX CONCURRENTLY" && out_has "completed" &&
		[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = '\''items_label_idx'\''::regclass")" = t ]'
	state before
	px up --db "$DB" --dir "$M"
	check up/after-commit-once '[ $rc = 0 ] && out_has "nothing to do" && same_state before'

	# a failing after-commit statement: the part before it stays committed,
	# the ledger marks the rest pending; done by hand, up records it
	q "INSERT INTO items VALUES (1, 'x'), (2, 'x')" >/dev/null
	printf 'CREATE TABLE tags (id integer);\n-- premix:after-commit\nCREATE UNIQUE INDEX CONCURRENTLY items_label_uq ON items (label);\n' \
		>"$M/20260101000007_items_uq.up.sql"
	px up --db "$DB" --dir "$M"
	check up/after-commit-fails '[ $rc = 2 ] && err_has "after-commit" && err_has 23505 && [ "$(cols tags)" = id ] &&
		[ "$(q "SELECT count(*) FROM pg_index WHERE indexrelid = '\''items_label_uq'\''::regclass AND indisvalid")" = 0 ]'
	px status --db "$DB" --dir "$M"
	check status/after-commit-pending '[ $rc = 0 ] && out_has "items_uq .*after-commit part pending"'
	q "DELETE FROM items WHERE id = 2" >/dev/null
	q "DROP INDEX items_label_uq" >/dev/null
	q "CREATE UNIQUE INDEX CONCURRENTLY items_label_uq ON items (label)" >/dev/null
	px up --db "$DB" --dir "$M"
	check up/after-commit-completed-later '[ $rc = 0 ] && out_has "completed 20260101000007_items_uq" &&
		[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = '\''items_label_uq'\''::regclass")" = t ]'
	px status --db "$DB" --dir "$M"
	check status/after-commit-recorded '[ $rc = 0 ] && ! out_has "pending$" && ! out_has "after-commit part pending"'
}

# --- parity: premix parity --db URL --db2 URL ------------------------------
# a SQLite file holding tests/parity/target.json
make_parity_db() {
	rm -f "$1"
	sqlite3 -batch "$1" ".load $EXT" "SELECT premix_migrate(readfile('$ROOT/tests/parity/target.json'))" >/dev/null
}

# the SQLite file $W/parity.db against $DB (which holds the same target)
parity_checks() {
	PA=sqlite:$W/parity.db
	px parity --db "$PA" --db2 "$DB"
	check parity/equivalent '[ $rc = 0 ] && out_has "parity: equivalent" && out_has "A (--db):  sqlite, 5 tables" &&
		out_has "B (--db2): $DIALECT, 5 tables"'
	px parity --db "$DB" --db2 "$PA"
	check parity/equivalent-swapped '[ $rc = 0 ] && out_has "parity: equivalent"'
	# a column nullable on one side, an index missing, a longer varchar
	q "ALTER TABLE users DROP COLUMN display_name" >/dev/null
	q "ALTER TABLE users ADD COLUMN display_name text NOT NULL DEFAULT ''" >/dev/null
	q "DROP INDEX users_born_idx" >/dev/null
	[ "$B" = pg ] && q "ALTER TABLE users ALTER COLUMN email TYPE varchar(300)" >/dev/null
	px parity --db "$PA" --db2 "$DB"
	check parity/mismatches-exit-3 '[ $rc = 3 ] && out_has "^users.display_name.nullable" && out_has "NULL allowed on one side only" &&
		out_has "^users.display_name.default" && out_has "^users.index (born)" && out_has "index only in A" &&
		out_has "A (sqlite): not unique" && out_has "B ($DIALECT): (none)" && out_has "mismatches$" &&
		{ [ "$B" != pg ] || { out_has "^users.email.type" && out_has "string length differs: 255 vs 300"; }; }'
	px parity --db "$DB" --db2 "$PA"
	check parity/mismatches-swapped '[ $rc = 3 ] && out_has "^users.index (born)" && out_has "index only in B"'
	px parity --db "$PA"
	check parity/no-db2 '[ $rc = 1 ] && err_has "no second database given" && err_has "\-\-db2"'
	px parity --db "$PA" --db2 "mysql://localhost/x"
	check parity/bad-db2 '[ $rc = 1 ] && err_has "unrecognised database URL"'
	px parity --db "$PA" --db2 "sqlite:$W/no-such.db"
	check parity/missing-db2 '[ $rc = 1 ] && err_has "does not exist" && [ ! -e "$W/no-such.db" ]'
	px up --db "$PA" --db2 "$DB"
	check parity/db2-only-parity '[ $rc = 1 ] && err_has "does not take the option"'
}

# --- SQLite -----------------------------------------------------------------
for B in $BACKENDS; do
case $B in
sqlite)
	DBFILE=$OUT/sqlite.db
	DB=sqlite:$DBFILE
	rm -f "$DBFILE"
	scenario
	# parity between two SQLite files
	W=$OUT/sqlite-parity; mkdir -p "$W"; DIALECT=sqlite
	make_parity_db "$W/parity.db"; make_parity_db "$W/other.db"
	DB0=$DB; DBFILE=$W/other.db; DB=sqlite:$W/other.db
	parity_checks
	DBFILE=$OUT/sqlite.db; DB=$DB0
	px status --db "sqlite:$OUT/no-such.db"
	check errors/missing-db-file '[ $rc = 1 ] && err_has "does not exist" && [ ! -e "$OUT/no-such.db" ]'
	env PREMIX_SQLITE_EXT="$OUT/no-such-ext" "$P" status --db "$DB" >"$OUT/o" 2>"$OUT/e"; rc=$?
	check errors/missing-extension '[ $rc = 1 ] && err_has "PREMIX_SQLITE_EXT"'

	# help pages: every command, man-style
	B=help
	px --help
	check premix '[ $rc = 0 ] && out_has "^NAME" && out_has "^SYNOPSIS" && out_has "^EXIT STATUS" && out_has "^EXAMPLES"'
	for c in new up down status diff preview parity; do
		px $c --help
		check "$c" '[ $rc = 0 ] && out_has "premix $c -" && out_has "^SYNOPSIS" && out_has "^DESCRIPTION" && out_has "^OPTIONS" &&
			out_has "^EXIT STATUS" && out_has "^EXAMPLES"'
	done

	# valgrind: one SQLite up, clean
	B=valgrind
	if command -v valgrind >/dev/null; then
		W=$OUT/vg; mkdir -p "$W/m"; DBFILE=$W/vg.db
		cp "$OUT/sqlite/migrations/${V1}_create_users."* "$OUT/sqlite/migrations/${V2}_add_name."* "$W/m/"
		rc=0
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$ROOT/cli/premix" up --db "sqlite:$DBFILE" --dir "$W/m" >"$OUT/o" 2>"$OUT/e" || rc=$?
		check sqlite-up '[ $rc = 0 ] && [ "$(cols_sqlite users)" = "id,email,name" ] && ! grep -q "==[0-9]*==" "$OUT/e"'
		printf -- '-- edited\n' >>"$W/m/${V1}_create_users.up.sql"
		rc=0
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$ROOT/cli/premix" up --db "sqlite:$DBFILE" --dir "$W/m" >"$OUT/o" 2>"$OUT/e" || rc=$?
		check sqlite-error-path '[ $rc = 1 ] && ! grep -q "==[0-9]*==" "$OUT/e"'
		# parity of two SQLite files: equivalent, then one index apart
		make_parity_db "$W/p1.db"; make_parity_db "$W/p2.db"
		rc=0
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$ROOT/cli/premix" parity --db "sqlite:$W/p1.db" --db2 "sqlite:$W/p2.db" >"$OUT/o" 2>"$OUT/e" || rc=$?
		check parity-equivalent '[ $rc = 0 ] && out_has "parity: equivalent" && ! grep -q "==[0-9]*==" "$OUT/e"'
		sqlite3 "$W/p2.db" "DROP INDEX users_born_idx"
		rc=0
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$ROOT/cli/premix" parity --db "sqlite:$W/p1.db" --db2 "sqlite:$W/p2.db" >"$OUT/o" 2>"$OUT/e" || rc=$?
		check parity-mismatch '[ $rc = 3 ] && out_has "users.index (born)" && ! grep -q "==[0-9]*==" "$OUT/e"'
	else
		nfail=$((nfail + 1)); echo "FAIL valgrind (not installed)"
	fi
	;;
pg)
	PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
	B=pg
	if [ ! -x "$PGBIN/pg_ctl" ]; then nfail=$((nfail + 1)); echo "FAIL pg (no PostgreSQL 15 in $PGBIN)"; continue; fi
	MK="make -s USE_PGXS=1 with_llvm=no"
	if ! $MK >"$OUT/pg-build.log" 2>&1; then nfail=$((nfail + 1)); echo "FAIL pg/build"; tail -20 "$OUT/pg-build.log"; continue; fi
	# install only when the built extension differs from the installed one
	if ! cmp -s premix.so "$(pg_config --pkglibdir)/premix.so" ||
		! cmp -s pg_premix/premix--0.1.sql "$(pg_config --sharedir)/extension/premix--0.1.sql"; then
		if ! $MK install >>"$OUT/pg-build.log" 2>&1; then nfail=$((nfail + 1)); echo "FAIL pg/install"; tail -20 "$OUT/pg-build.log"; continue; fi
	fi
	D=$(mktemp -d /tmp/premix-cli-pg.XXXXXX)
	if ! env=$(sh tests/pg/cluster.sh start "$D"); then
		nfail=$((nfail + 1)); echo "FAIL pg/cluster"; cat "$D/server.log" 2>/dev/null | tail -20; rm -rf "$D"; continue
	fi
	trap 'sh tests/pg/cluster.sh stop "$D"; rm -rf "$D"' EXIT
	eval "$env"
	PGDB=premix_cli
	createdb "$PGDB" && psql -X -q -d "$PGDB" -c "CREATE EXTENSION premix" >/dev/null
	DB="postgresql:///$PGDB?host=$PGHOST&port=$PGPORT&user=$PGUSER"
	scenario
	# parity: a SQLite file and a PostgreSQL database holding the same target
	W=$OUT/pg-parity; mkdir -p "$W"; DIALECT=postgresql
	createdb premix_parity && psql -X -q -d premix_parity -c "CREATE EXTENSION premix" >/dev/null
	echo "SELECT premix_migrate(:'target')" | psql -X -q -A -t -d premix_parity -v target="$(cat tests/parity/target.json)" >/dev/null
	make_parity_db "$W/parity.db"
	DB0=$DB; PGDB=premix_parity; DB="postgresql:///premix_parity?host=$PGHOST&port=$PGPORT&user=$PGUSER"
	parity_checks
	PGDB=premix_cli; DB=$DB0
	createdb premix_cli_noext
	px status --db "dbname=premix_cli_noext"
	check errors/no-extension '[ $rc = 1 ] && err_has "CREATE EXTENSION premix"'
	px parity --db "sqlite:$W/parity.db" --db2 "dbname=premix_cli_noext"
	check parity/no-extension '[ $rc = 1 ] && err_has "CREATE EXTENSION premix"'
	px status --db "postgresql:///premix_cli_none?host=$PGHOST&port=$PGPORT"
	check errors/no-database '[ $rc = 1 ] && err_has "could not connect"'
	sh tests/pg/cluster.sh stop "$D"; rm -rf "$D"; trap - EXIT
	;;
esac
done

echo "cli: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
