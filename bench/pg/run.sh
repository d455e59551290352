#!/bin/sh
# premix PostgreSQL benchmark (figures, not a test).
#
#   sh bench/pg/run.sh        as root: start a throwaway PostgreSQL 15 cluster
#                             (tests/pg/cluster.sh, port 5531, /tmp/premix-bench-pg),
#                             measure, write bench/pg/RESULTS.md, stop the cluster
#
# The premix extension must be installed already (this script builds nothing).
# For each size N (default 1000 and 5000 tables, bench/pg/gen.py ddl N) it times,
# in one psql session per figure, with psql's \timing (connection excluded):
#   (a) floor: a set-based catalog read of the same objects (format_type,
#       pg_get_expr, pg_get_constraintdef, pg_get_indexdef), every text evaluated
#   (q) premix's own introspection queries (read out of shared/pmx_introspect_pg.c)
#       run as plain SQL, every column of every row turned into text
#   (t) the SQL defining premix's catalog token (the "from" check of an apply;
#       the extension computes the same token by catalog scans)
#   (s) premix_schema()
#   (b) premix_diff(premix_schema()), checked to be an empty plan
#   (c) premix_diff(target): premix_schema() + 5% new tables + 10% altered,
#       each repetition paired with a run of (a) in the same session
#   (d) premix_apply(plan of (c)) on a fresh copy of the database, and the same
#       DDL (the plan's steps[].sql) raw, in one transaction, on another fresh copy
# Each figure is the median of its repetitions: at most 5, and no new one once
# the figure has taken PREMIX_BENCH_BUDGET seconds (default 20; for (d) twice
# that, and at least 3 pairs of apply and raw DDL).
# Before measuring, each N is also tried once at the server's default settings
# (max_locks_per_transaction = 64); the measurements then run with
# max_locks_per_transaction = PREMIX_BENCH_LOCKS (default 1024) and autovacuum
# off.  With perf installed, one run of (b), (c) and (d) at the smallest N is
# profiled (PREMIX_BENCH_PERF=0 to skip).
#
# Environment: PREMIX_BENCH_SIZES ("1000 5000"), PREMIX_BENCH_BUDGET (20),
# PREMIX_BENCH_LOCKS (1024), PREMIX_BENCH_PERF (1), PREMIX_BENCH_DIR
# (/tmp/premix-bench-pg), PGTEST_PORT (5531), PREMIX_BENCH_KEEP=1 keeps the
# cluster's directory after the run.
set -eu
cd "$(dirname "$0")/../.."
SIZES=${PREMIX_BENCH_SIZES:-1000 5000}
BUDGET=${PREMIX_BENCH_BUDGET:-20}
LOCKS=${PREMIX_BENCH_LOCKS:-1024}
PERF=${PREMIX_BENCH_PERF:-1}
D=${PREMIX_BENCH_DIR:-/tmp/premix-bench-pg}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
OUT=bench/pg/RESULTS.md
MAXREP=5
export PGTEST_PORT=${PGTEST_PORT:-5531}
export PGOPTIONS="-c client_min_messages=warning"
T0=$(date +%s)
SO=$($PGBIN/pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/premix.so
soid() { echo "$(sha256sum "$SO" | cut -c1-12), built $(date -u -r "$SO" '+%Y-%m-%d %H:%M:%S UTC')"; }
SOID0=$(soid)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

[ "$(id -u)" = 0 ] || { echo "bench/pg: run as root (the cluster runs as postgres)" >&2; exit 1; }
env=$(sh tests/pg/cluster.sh start "$D") || { cat "$D/initdb.log" "$D/server.log" 2>/dev/null | tail -20; exit 1; }
cleanup() {
	sh tests/pg/cluster.sh stop "$D"
	[ "${PREMIX_BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
	log "cluster stopped and removed"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$env"
W=$D/work
mkdir -p "$W"
FIG=$W/figures
: >"$FIG"

log() { echo "bench/pg: $(($(date +%s) - T0))s: $*" >&2; }
sq() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
restart() {
	su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $D/data -w -t 60 restart" >/dev/null
}
# put NAME VALUE...: one figure; get NAME [FIELD]: read it back ("-" if none)
put() { echo "$*" >>"$FIG"; }
get() { awk -v k="$1" -v f="${2:-2}" '$1 == k { v = $f } END { print (v == "" ? "-" : v) }' "$FIG"; }

# ---------------------------------------------------------------- SQL pieces
# (a) the floor: every column (type, NOT NULL, default, identity), every
# constraint (its definition) and every index (its definition) of the tables
# of current_schema(), with the server's deparsers; one row of totals.
cat >"$W/floor.sql" <<'EOF'
SELECT concat_ws(' ',
 (SELECT count(*) || ':' || sum(length(concat_ws('|', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
         a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated)))
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')),
 (SELECT count(*) || ':' || sum(length(concat_ws('|', c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid))))
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')),
 (SELECT count(*) || ':' || sum(length(concat_ws('|', c.relname, i.relname, pg_get_indexdef(ix.indexrelid))))
  FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class c ON c.oid = ix.indrelid
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')));
EOF
python3 bench/pg/gen.py queries shared/pmx_introspect_pg.c >"$W/premixq.sql"
python3 bench/pg/gen.py token shared/pmx_introspect_pg.c >"$W/token.sql"
TARGET="(SELECT v FROM bm.doc WHERE k = 'target')"
PLAN="(SELECT v FROM bm.doc WHERE k = 'plan')"
SET_PATH="SET search_path = s, public;"
# VACUUM of the system catalogs: a shadow's rolled-back tables leave dead
# catalog rows behind, and autovacuum is off during the figures
CATVAC="SELECT 'VACUUM ' || string_agg(oid::regclass::text, ', ') FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' \\gexec"
# every system catalog read once (the warm-up of (d), the same for both sides)
CATCOUNT="SELECT 'SELECT count(*) FROM ' || oid::regclass FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' \\gexec"

# reps_script STMTFILE [BEFORE]: psql script running the statement up to
# MAXREP times, no new repetition once BUDGET seconds have gone by; "Time:"
# after each; BEFORE (SQL) runs untimed before each repetition.
reps_script() {
	printf '%s\n' "SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset"
	r=1
	while [ $r -le $MAXREP ]; do
		[ $r -gt 1 ] && printf '%s\n' "\\if :more"
		[ -n "${2:-}" ] && printf '%s\n' "\\o /dev/null" "$2" "\\o"
		printf '%s\n' "\\timing on"
		cat "$1"
		printf '%s\n' "\\timing off"
		printf '%s\n' "SELECT extract(epoch FROM clock_timestamp()) - :t0 < $BUDGET AS more \\gset"
		r=$((r + 1))
	done
	r=2
	while [ $r -le $MAXREP ]; do printf '%s\n' "\\endif"; r=$((r + 1)); done
}

# tms LOG: the "Time:" figures of a psql log, one a line (ms)
tms() { awk '/^Time: / { print $2 }' "$1"; }
# median of the numbers on stdin, 2 decimals; "-" if none
median() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# result LOG: the last value line (not Time:, not an error); err LOG: first error
result() { awk '!/^(Time: |Timing is)/ && !/^(ERROR|DETAIL|HINT|psql|CONTEXT|WARNING|NOTICE)/ && NF { v = $0 } END { print v }' "$1"; }
err() { awk '/ERROR:/ { sub(/.*ERROR: +/, ""); print; exit }' "$1"; }

# measure NAME DB STMT [warm|vacuum|pair]: one psql session; put "NAME
# median reps result"; warm: one untimed run first; vacuum: CATVAC before
# each run; pair: as vacuum, and each run also times the floor (a) just
# before STMT, in the same session, so that the machine's load is the same
# for both, and "NAME_pair median" of the runs' STMT/(a) ratios is put too
measure() {
	name=$1 db=$2 mode=${4:-}
	if [ "$mode" = pair ]; then
		{ cat "$W/floor.sql"; printf '%s\n' "$3"; } >"$W/$name.stmt"
	else
		printf '%s\n' "$3" >"$W/$name.stmt"
	fi
	{
		echo "$SET_PATH"
		if [ "$mode" = warm ]; then printf '%s\n' "\\o /dev/null"; cat "$W/$name.stmt"; printf '%s\n' "\\o"; fi
		if [ "$mode" = vacuum ] || [ "$mode" = pair ]; then reps_script "$W/$name.stmt" "$CATVAC"; else reps_script "$W/$name.stmt"; fi
	} >"$W/$name.sql"
	sq -d "$db" -f "$W/$name.sql" >"$W/$name.log" 2>&1 || true
	e=$(err "$W/$name.log")
	if [ -n "$e" ]; then
		put "$name ERR 0 $e"
		log "$name: ERROR $e"
		return
	fi
	if [ "$mode" = pair ]; then
		tms "$W/$name.log" | awk 'NR % 2 == 0' >"$W/$name.times"
		put "${name}_pair $(tms "$W/$name.log" | paste - - | awk '$1 > 0 { print $2 / $1 }' | median)"
	else
		tms "$W/$name.log" >"$W/$name.times"
	fi
	put "$name $(median <"$W/$name.times") $(wc -l <"$W/$name.times") $(result "$W/$name.log")"
	log "$name: $(get "$name") ms ($(get "$name" 3) reps) -> $(get "$name" 4)${mode:+ ($mode)}$([ "$mode" = pair ] && echo "; paired with (a): $(get "${name}_pair")x")"
}

# copy N NAME: a fresh database NAME, copied from pb_N
copy() { sq -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2 TEMPLATE pb_$1 STRATEGY FILE_COPY" -c "CHECKPOINT"; }
drop() { sq -c "DROP DATABASE IF EXISTS $1"; }

# profile NAME DB SQLFILE: perf record the backend during the script's
# statement between the two markers; inclusive % of premix's main functions
# label:symbol regex; the largest inclusive share among the matching
# symbols, so a renamed or tail-called helper still counts (subxact: the sum
# of its three functions, which do not call each other)
PROF_FUNCS="call:^call$ spi:^SPI_execute ddl:^standard_ProcessUtility$ token:^pmx_pg_catalog_token$ introspect:^pmx_introspect
target:^pmx_target_load$ shadow:^shadow_exec$ shadowclose:^host_shadow_close$
subxact:^(AtEOSubXact_RelationCache|LockReassignCurrentOwner|AtSubCommit_smgr)$
datacheck:^pmx_datacheck fingerprint:^(pmx_)?fingerprint jsonparse:^pmx_json_parse$
jsonwrite:^pmx_(table_write_json|schema_to_json|plan_to_json)$ ledger:^pmx_ledger_insert$
jsonbout:^JsonbToCString$ jsonbin:^jsonb_in$"
profile() {
	name=$1
	{
		echo "$SET_PATH"
		printf '%s\n' "SELECT pg_backend_pid() AS bpid \\gset"
		printf '%s\n' "\\setenv BPID :bpid"
		printf '%s\n' "\\! (perf record -F 999 -g -p \$BPID -o $W/$name.perf >$W/$name.perflog 2>&1 & echo \$! >$W/$name.perfpid); sleep 1"
		cat "$3"
		printf '%s\n' "\\! kill -INT \$(cat $W/$name.perfpid); while kill -0 \$(cat $W/$name.perfpid) 2>/dev/null; do sleep 0.1; done"
	} >"$W/$name.sql"
	if sq -d "$2" -f "$W/$name.sql" >"$W/$name.log" 2>&1 &&
		perf report -i "$W/$name.perf" --children --sort symbol -g none --stdio >"$W/$name.report" 2>/dev/null; then
		for lf in $PROF_FUNCS; do
			awk -v l="${lf%%:*}" -v re="${lf#*:}" -v n="$name" '
				$3 == "[.]" && $4 ~ re { v = $1; sub(/%/, "", v); seen = 1; sum += v; if (v + 0 > best + 0) best = v }
				END { if (seen) printf "prof_%s_%s %.2f\n", n, l, (l == "subxact" ? sum : best) + 0 }' "$W/$name.report"
		done >>"$FIG"
	else
		log "profile $name failed (see $W/$name.log)"
	fi
}

# ---------------------------------------------------------------- generation
for n in $SIZES; do
	log "generating $n tables"
	g0=$(date +%s)
	sq -c "CREATE DATABASE pb_$n"
	sq -d "pb_$n" -c "CREATE EXTENSION premix" -c "CREATE SCHEMA s" -c "CREATE SCHEMA bm" \
		-c "CREATE TABLE bm.doc (k text PRIMARY KEY, v jsonb NOT NULL)"
	python3 bench/pg/gen.py ddl "$n" >"$W/ddl_$n.sql"
	sq -d "pb_$n" -c "$SET_PATH" -f "$W/ddl_$n.sql" >/dev/null
	sq -d "pb_$n" -c "VACUUM ANALYZE" -c "CHECKPOINT"
	sq -d "pb_$n" -c "$SET_PATH" -c "SELECT premix_schema()" >"$W/schema_$n.json"
	python3 bench/pg/gen.py target <"$W/schema_$n.json" >"$W/target_$n.json" 2>"$W/target_$n.counts"
	{ printf "INSERT INTO bm.doc VALUES ('target', \$pmxjson\$"; cat "$W/target_$n.json"; printf "\$pmxjson\$);\n"; } >"$W/target_$n.sql"
	sq -d "pb_$n" -f "$W/target_$n.sql"
	put "gen_$n $(($(date +%s) - g0))"
	put "counts_$n $(cat "$W/target_$n.counts")"
	put "jsonkb_$n $(($(wc -c <"$W/schema_$n.json") / 1024))"
done

# ------------------------------------------- one try at the default settings
put "default_locks $(sq -c 'SHOW max_locks_per_transaction')"
MAXREP=1
for n in $SIZES; do
	log "default settings, $n tables"
	measure "dflt_b_$n" "pb_$n" "SELECT jsonb_array_length(premix_diff(premix_schema())->'steps');"
	measure "dflt_c_$n" "pb_$n" "SELECT jsonb_array_length(premix_diff($TARGET)->'steps');"
	copy "$n" pbc
	measure "dflt_m_$n" pbc "SELECT premix_migrate($TARGET)->>'applied';"
	drop pbc
done
MAXREP=5
for n in $SIZES; do printf '%s\n' "$CATVAC" | sq -d "pb_$n" >/dev/null; done

sq -c "ALTER SYSTEM SET max_locks_per_transaction = $LOCKS" -c "ALTER SYSTEM SET autovacuum = off"
restart

# ------------------------------------------------------------------ figures
for n in $SIZES; do
	log "measuring $n tables"
	db=pb_$n
	measure "a_$n" "$db" "$(cat "$W/floor.sql")" warm
	measure "q_$n" "$db" "$(cat "$W/premixq.sql")" warm
	measure "t_$n" "$db" "$(cat "$W/token.sql")" warm
	measure "s_$n" "$db" "SELECT pg_column_size(premix_schema());" warm
	measure "b_$n" "$db" "SELECT jsonb_array_length(premix_diff(premix_schema())->'steps');"
	measure "c_$n" "$db" "SELECT jsonb_array_length(premix_diff($TARGET)->'steps');" pair

	# the plan of (c), its raw DDL as one multi-statement string (one transaction)
	sq -d "$db" -c "$SET_PATH" -c "INSERT INTO bm.doc SELECT 'plan', premix_diff($TARGET)"
	printf '%s\n' "$CATVAC" | sq -d "$db" >/dev/null
	put "ops_$n $(sq -d "$db" -c "SELECT string_agg(op || ' ' || c, ', ' ORDER BY c DESC, op) FROM (SELECT st->>'op' op, count(*) c
		FROM bm.doc, jsonb_array_elements(v->'steps') st WHERE k = 'plan' GROUP BY 1) x" | tr ' ' '_')"
	put "stmts_$n $(sq -d "$db" -c "SELECT count(*) FROM bm.doc, jsonb_array_elements(v->'steps') st, jsonb_array_elements_text(st->'sql') WHERE k = 'plan'")"
	put "changed_$n $(sq -d "$db" -c "SELECT count(*) FROM bm.doc, jsonb_object_keys(v->'changed') WHERE k = 'plan'")"
	{
		printf '%s\n' "BEGIN\\;"
		sq -d "$db" -c "SELECT s || E'\\\\;' FROM bm.doc, jsonb_array_elements(v->'steps') WITH ORDINALITY st(st, i),
			jsonb_array_elements_text(st->'sql') WITH ORDINALITY q(s, j) WHERE k = 'plan' ORDER BY i, j"
		echo "COMMIT;"
	} >"$W/raw_$n.sql"

	# (d) apply vs raw, each repetition on fresh copies, alternating
	: >"$W/apply_$n.times"
	: >"$W/raw_$n.times"
	r=0 t0=$(date +%s)
	while [ $r -lt $MAXREP ]; do
		r=$((r + 1))
		for kind in apply raw; do
			copy "$n" pbc
			{
				echo "$SET_PATH"
				# the same warm-up for both: (a), and every system catalog read once
				printf '%s\n' "\\o /dev/null"; cat "$W/floor.sql"; printf '%s\n' "$CATCOUNT" "\\o"
				printf '%s\n' "\\timing on"
				if [ $kind = apply ]; then printf '%s\n' "SELECT (premix_apply($PLAN)->>'applied');"; else printf '%s\n' "\\i $W/raw_$n.sql"; fi
				printf '%s\n' "\\timing off"
				if [ $r = 1 ]; then
					# the round trip once, after apply; after raw DDL the same schema is enough
					[ $kind = apply ] && echo "SELECT 'steps_after ' || jsonb_array_length(premix_diff($TARGET)->'steps');"
					echo "SELECT 'md5 ' || md5(premix_schema()::text);"
				fi
			} >"$W/${kind}_$n.psql"
			sq -d pbc -f "$W/${kind}_$n.psql" >"$W/${kind}_$n.log" 2>&1 || true
			drop pbc
			e=$(err "$W/${kind}_$n.log")
			if [ -n "$e" ]; then
				put "d${kind}_$n ERR 0 $e"
				log "$kind $n: ERROR $e"
				break 2
			fi
			tms "$W/${kind}_$n.log" >>"$W/${kind}_$n.times"
			if [ $r = 1 ]; then
				[ $kind = apply ] && put "after_${kind}_$n $(awk '$1 == "steps_after" { print $2 }' "$W/${kind}_$n.log")"
				put "md5_${kind}_$n $(awk '$1 == "md5" { print $2 }' "$W/${kind}_$n.log")"
				[ $kind = apply ] && put "applied_$n $(awk '!/^(Time: |Timing is|steps_after |md5 )/ && NF { print; exit }' "$W/apply_$n.log")"
			fi
		done
		# at least 3 pairs (one takes ~25 s at 5,000 tables; the median of
		# two pairs on a shared machine is little more than one of them)
		[ $r -lt 3 ] || [ $(($(date +%s) - t0)) -lt $((BUDGET * 2)) ] || break
	done
	for kind in apply raw; do
		[ "$(get "d${kind}_$n")" = ERR ] || put "d${kind}_$n $(median <"$W/${kind}_$n.times") $(wc -l <"$W/${kind}_$n.times")"
	done
	# each repetition's apply and raw DDL ran one after the other: their ratios
	[ "$(get "dapply_$n")" = ERR ] || put "dpair_$n $(paste "$W/apply_$n.times" "$W/raw_$n.times" | awk '$2 > 0 { print $1 / $2 }' | median)"
	log "apply $(get "dapply_$n") ms, raw $(get "draw_$n") ms ($(get "draw_$n" 3) reps)"
done

# ------------------------------------------------------------------ profile
NP=$(echo $SIZES | awk '{ print $1 }')
if [ "$PERF" = 1 ] && command -v perf >/dev/null 2>&1; then
	log "profiling at $NP tables"
	echo "SELECT jsonb_array_length(premix_diff(premix_schema())->'steps');" >"$W/pb.stmt"
	profile pb "pb_$NP" "$W/pb.stmt"
	echo "SELECT jsonb_array_length(premix_diff($TARGET)->'steps');" >"$W/pc.stmt"
	profile pc "pb_$NP" "$W/pc.stmt"
	copy "$NP" pbc
	echo "SELECT (premix_apply($PLAN)->>'applied');" >"$W/pd.stmt"
	profile pd pbc "$W/pd.stmt"
	drop pbc
	PROFILED=1
else
	PROFILED=0
fi

# ------------------------------------------------------------------- report
log "writing $OUT"
# ratios with two decimals: a goal's verdict compares this figure, so that
# 1.24x is not rounded into "<= 1.2x"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "-" }'; }
ms() { v=$(get "$1"); if [ "$v" = ERR ]; then echo "error"; else echo "$v"; fi; }
met() { awk -v v="$1" -v lim="$2" 'BEGIN { v += 0; if (v <= 0) print "not measured"; else if (v <= lim) print "**met**"; else print "**not met**" }'; }
num() { echo "$1" | tr -d 'x'; }
# pr NAME: a paired ratio figure as "N.NNx" ("-" if none)
pr() { awk -v v="$(get "$1")" 'BEGIN { if (v + 0 > 0) printf "%.2fx", v; else print "-" }'; }
errmsg() { awk -v k="$1" '$1 == k && $2 == "ERR" { $1 = $2 = $3 = ""; sub(/^ +/, ""); m = $0 } END { print m }' "$FIG"; }
dflt() {
	v=$(get "$1")
	if [ "$v" = ERR ]; then echo "ERROR: $(errmsg "$1")"
	elif [ "$v" = - ]; then echo "not run"
	else echo "ok, $v ms, result $(get "$1" 4)"; fi
}
PGV=$(sq -c "SELECT version()")
EXTV=$(sq -d "pb_$NP" -c "SELECT extversion FROM pg_extension WHERE extname = 'premix'")
SOID=$(soid)
OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || echo unknown)
N1=$(echo $SIZES | awk '{ print $1 }')
{
	echo "# premix PostgreSQL benchmark results"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); whole run $(($(date +%s) - T0)) s"
	echo "- machine: $(nproc) cores (nproc), $OS, $(uname -srm); load average (1/5/15 min) at the start $LOAD0, at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine: figures are noisy)"
	echo "- $PGV"
	echo "- premix extension $EXTV, $SO sha256 $SOID"
	[ "$SOID" = "$SOID0" ] || echo "- **warning: premix.so changed during the run** (it was $SOID0 at the start): the figures may mix two builds"
	echo "- server: throwaway cluster of \`tests/pg/cluster.sh\` (fsync=off, full_page_writes=off, unix socket); for the figures max_locks_per_transaction = $LOCKS (default $(get default_locks)) and autovacuum off, after \`VACUUM ANALYZE\` of the generated database"
	echo "- reproduce: \`sh bench/pg/run.sh\` as root from the repository root, with the extension installed (\`PREMIX_BENCH_SIZES\`, \`PREMIX_BENCH_BUDGET\` to change sizes and time budget; see the script's header)"
	printf '%s\n' "- timing: psql \`\\timing\` around one statement, in one psql session per figure (connection start excluded), the caller's result a single small value; each figure is the median of its repetitions (reps column: at most 5, none started after $BUDGET s)"
	echo
	echo "Schema (\`bench/pg/gen.py ddl N\`): N tables of 17 columns (bigint identity PK, varchar/text/integer/numeric/double/real/smallint/boolean/timestamptz/timestamp/date/uuid/jsonb, 4 defaults), a UNIQUE constraint, two named CHECKs, a plain index, a partial UNIQUE index, two FKs to earlier tables (one indexed), 3 rows each."
	echo
	echo "(a) floor: a set-based catalog read of the same objects, every text computed on the server (pg_class x pg_attribute x pg_attrdef with format_type and pg_get_expr; pg_constraint with pg_get_constraintdef; pg_index with pg_get_indexdef), one row of totals.  "
	echo "(q) premix's own introspection queries (the q_* strings of shared/pmx_introspect_pg.c with their o_* ORDER BY, read out of the source by gen.py) as plain SQL, every column of every row turned into text: the definition of what the extension reads, which reads the same rows by scanning the catalogs itself (pg_premix/pg_catalog_read.c; the SQL runs instead when premix.native_catalog_read is off).  "
	echo "(t) the SQL that defines premix's catalog token (q_token of shared/pmx_introspect_pg.c, read out of the source by gen.py), as plain SQL: the whole-schema \"from\" check at the start of an apply.  The extension computes the same token by scanning the catalogs itself (pg_premix/pg_catalog_token.c; the SQL runs instead when premix.native_catalog_token is off); its share of the apply is the \`pmx_pg_catalog_token\` line of the profile below.  "
	echo "(s) \`SELECT pg_column_size(premix_schema())\`.  "
	echo "(b) \`SELECT jsonb_array_length(premix_diff(premix_schema())->'steps')\`, checked to be 0.  "
	echo "(c) \`premix_diff(target)\`, target = premix_schema() + 5% new tables (FK, UNIQUE, CHECK, plain index each) and 10% of the tables altered, in turn: a nullable column added, varchar(80) widened to varchar(160), an index added; the target is read from a table in the same statement; the system catalogs are vacuumed (untimed) before each repetition, as the shadow leaves dead catalog rows; each repetition times (a) first in the same session, and (c)/(a) paired is the median of the repetitions' ratios (on a shared machine the load changes between sessions, and the two medians of separate sessions can come from different loads).  "
	echo "(d) on a fresh copy of the database (CREATE DATABASE ... TEMPLATE, then CHECKPOINT), \`premix_apply(plan of (c))\`; on another fresh copy, the plan's steps[].sql statements sent raw as one multi-statement string \`BEGIN; ...; COMMIT\`. Both sessions first run (a) once and count the rows of every system catalog, untimed, so that neither pays for reading the copy's catalogs into shared buffers. apply/raw paired: the median of each repetition's ratio (its apply and raw DDL run one after the other)."
	echo
	echo "| tables | (a) floor ms | (q) premix's queries ms | (t) catalog token ms | (s) premix_schema() ms | (s)/(a) | (b) diff(schema()) ms | (b)/(a) | (c) realistic diff ms | (c)/(a) | (c)/(a) paired | (d) apply ms | (d) raw DDL ms | apply/raw | apply/raw paired | reps a/q/t/s/b/c/d |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	for n in $SIZES; do
		echo "| $n | $(ms a_$n) | $(ms q_$n) | $(ms t_$n) | $(ms s_$n) | $(ratio "$(get s_$n)" "$(get a_$n)") | $(ms b_$n) | $(ratio "$(get b_$n)" "$(get a_$n)") | $(ms c_$n) | $(ratio "$(get c_$n)" "$(get a_$n)") | $(pr c_${n}_pair) | $(ms dapply_$n) | $(ms draw_$n) | $(ratio "$(get dapply_$n)" "$(get draw_$n)") | $(pr dpair_$n) | $(get a_$n 3)/$(get q_$n 3)/$(get t_$n 3)/$(get s_$n 3)/$(get b_$n 3)/$(get c_$n 3)/$(get draw_$n 3) |"
	done
	echo
	echo "| tables | catalog rows:text chars read by (a): columns, constraints, indexes | premix_schema() JSON KiB | (b) steps | (c) added / altered tables | (c) steps (expected) | (c) steps by op | raw statements | (d) steps applied | after apply: diff(target) steps | premix_schema() after raw DDL = after apply | generation s |"
	echo "|---:|---|---:|---:|---|---|---|---:|---:|---:|---|---:|"
	for n in $SIZES; do
		set -- $(get counts_$n 2) $(get counts_$n 3)
		exp=$(($1 * 3 + $2))
		same=no; [ "$(get md5_apply_$n)" != - ] && [ "$(get md5_apply_$n)" = "$(get md5_raw_$n)" ] && same=yes
		echo "| $n | $(get a_$n 4) $(get a_$n 5) $(get a_$n 6) | $(get jsonkb_$n) | $(get b_$n 4) | $1 / $2 | $(get c_$n 4) ($exp: create_table, create_index, add_foreign_key per new table, one per altered) | $(get ops_$n | tr '_' ' ') | $(get stmts_$n) | $(get applied_$n) | $(get after_apply_$n) | $same | $(get gen_$n) |"
	done
	echo
	echo "## Goals (issue)"
	echo
	echo "| goal | figure | verdict |"
	echo "|---|---|---|"
	echo "| diff at $N1 tables <= 0.5 s, target normalization included | (b) $(ms b_$N1) ms, (c) $(ms c_$N1) ms | (b) $(met "$(get b_$N1)" 500), (c) $(met "$(get c_$N1)" 500) |"
	rb=$(ratio "$(get b_$N1)" "$(get a_$N1)") rc=$(ratio "$(get c_$N1)" "$(get a_$N1)") rp=$(pr c_${N1}_pair)
	echo "| diff at $N1 tables <= 3x the floor | (b)/(a) $rb, (c)/(a) $rc, (c)/(a) paired $rp | (b) $(met "$(num "$rb")" 3), (c) $(met "$(num "$rc")" 3), (c) paired $(met "$(num "$rp")" 3) |"
	for n in $SIZES; do
		ra=$(ratio "$(get dapply_$n)" "$(get draw_$n)") rp=$(pr dpair_$n)
		echo "| apply <= 1.2x raw DDL, $n tables | $(ms dapply_$n) / $(ms draw_$n) ms = $ra; paired $rp | $(met "$(num "$ra")" 1.2), paired $(met "$(num "$rp")" 1.2) |"
	done
	echo
	echo "## At the server's default settings (max_locks_per_transaction = $(get default_locks))"
	echo
	echo "Each tried once, before the figures, on the same databases (premix_migrate on a fresh copy):"
	echo
	echo "| tables | premix_diff(premix_schema()) | premix_diff(target) | premix_migrate(target) |"
	echo "|---:|---|---|---|"
	for n in $SIZES; do
		echo "| $n | $(dflt dflt_b_$n) | $(dflt dflt_c_$n) | $(dflt dflt_m_$n) |"
	done
	if [ "$PROFILED" = 1 ]; then
		echo
		echo "## Where the time goes ($NP tables, perf)"
		echo
		echo "\`perf record -g\` of the backend during one statement (untimed run), inclusive share of the backend's samples per function (\`perf report --children\`); kernel time (file creation for new relations, page faults) is inside the functions that caused it; \`-\`: the function took no sample (not called, or inlined in this build)."
		echo
		echo "| function: what | (b) diff(schema()) % | (c) realistic diff % | (d) apply % |"
		echo "|---|---:|---:|---:|"
		for lf in $PROF_FUNCS; do
			l=${lf%%:*}
			case $l in
			call) what="premix's C entry \`call\`, whole (each premix_* call)" ;;
			spi) what="\`SPI_execute*\`: every SQL statement premix runs (catalog queries, DDL, data checks, ledger)" ;;
			ddl) what="\`standard_ProcessUtility\`: DDL executed (shadow tables; in (d) the plan's steps)" ;;
			token) what="\`pmx_pg_catalog_token\`: the catalog token (the apply's \"from\" check; a diff's \`from_catalog\`), by catalog scans" ;;
			ledger) what="\`pmx_ledger_insert\`: the ledger row" ;;
			introspect) what="\`pmx_introspect*\`: catalog read (the extension's catalog scans) + building the model" ;;
			target) what="\`pmx_target_load\`: target parsed, validated and normalized" ;;
			shadow) what="\`shadow_exec\`: a shadow statement run on its own (a batched shadow shows -)" ;;
			shadowclose) what="\`host_shadow_close\`: shadow rolled back" ;;
			subxact) what="\`AtEOSubXact_RelationCache\` + \`LockReassignCurrentOwner\` + \`AtSubCommit_smgr\`: the end of each internal subtransaction, each walking all that the transaction holds so far (relcache entries, locks, relations to delete)" ;;
			datacheck) what="\`pmx_datacheck\`: data checks on the rows" ;;
			fingerprint) what="\`fingerprint\`: schema fingerprints" ;;
			jsonparse) what="\`pmx_json_parse\`: JSON text parsed by the core" ;;
			jsonwrite) what="\`pmx_table_write_json\` / \`pmx_schema_to_json\` / \`pmx_plan_to_json\`: JSON written" ;;
			jsonbout) what="\`JsonbToCString\`: jsonb argument printed to text for the core" ;;
			jsonbin) what="\`jsonb_in\`: JSON result parsed into jsonb" ;;
			*) what=$l ;;
			esac
			echo "| $what | $(get prof_pb_$l) | $(get prof_pc_$l) | $(get prof_pd_$l) |"
		done
	fi
	if grep -q '^[^ ]* ERR ' "$FIG"; then
		echo
		echo "## Errors"
		echo
		grep '^[^ ]* ERR ' "$FIG" | while read -r k _ _ m; do echo "- \`$k\`: $m"; done
	fi
	echo
	echo "## Notes"
	echo
	n=$N1
	echo "- premix_schema() costs $(ratio "$(get s_$n)" "$(get a_$n)") the floor at $n tables, and premix's own catalog queries run as plain SQL $(ratio "$(get q_$n)" "$(get a_$n)") (they read more than the floor: collations, serial sequences, comments, one row per key column); the rest of premix_schema() is the core building its model and JSON, and PostgreSQL parsing that JSON into jsonb (\`jsonb_in\` in the profile)."
	echo "- (b) evaluates premix_schema() for its argument, then premix_diff prints the jsonb back to text, parses it, introspects the live schema again and compares: (b) - (s) = $(awk -v b="$(get b_$n)" -v s="$(get s_$n)" 'BEGIN { if (b + 0 > 0 && s + 0 > 0) printf "%.0f", b - s; else print "-" }') ms at $n tables, about one more catalog read plus the JSON work."
	echo "- (c) reads its target from a table instead of computing premix_schema(), and of the tables that differ from the live ones (15% here) only what the server must spell goes through the shadow (created in a subtransaction that is rolled back, and read back: \`pmx_target_load\`, \`standard_ProcessUtility\` in the profile): the new tables' defaulted columns, checks and foreign keys; a column added or retyped with no default gets its type spelled by the server's parser without a table, and an altered table with nothing else new skips the shadow; then the data checks and the plan.  (c) - (b) = $(awk -v b="$(get b_$n)" -v c="$(get c_$n)" 'BEGIN { if (b + 0 > 0 && c + 0 > 0) printf "%.0f", c - b; else print "-" }') ms at $n tables."
	set -- $SIZES
	if [ $# -ge 2 ]; then
		sc() { ratio "$(get "$1_$3")" "$(get "$1_$2")"; }
		echo "- from $1 to $2 tables ($(ratio "$2" "$1") the tables): floor $(sc a "$1" "$2"), premix_schema() $(sc s "$1" "$2"), (b) $(sc b "$1" "$2"), (c) $(sc c "$1" "$2"), apply $(sc dapply "$1" "$2"), raw DDL $(sc draw "$1" "$2")."
	fi
	echo "- (d) apply does the raw DDL's work plus, per the procedure in shared/pmx_apply.c: the catalog token over the whole schema (the \"from\" check: a plan made against a schema that has since changed is refused; computed by catalog scans, the same token as (t), $(ms t_$n) ms as plain SQL), the steps' statements in one internal subtransaction (between data checks, none in this plan), the re-read of the tables the plan changes (its \"changed\": $(get changed_$n) tables here) compared with the fingerprints the plan expects, and the ledger row (a patch: those tables only).  At $n tables apply - raw = $(awk -v a="$(get dapply_$n)" -v r="$(get draw_$n)" 'BEGIN { if (a + 0 > 0 && r + 0 > 0) printf "%.0f", a - r; else print "-" }') ms; the 1.2x goal leaves $(awk -v r="$(get draw_$n)" 'BEGIN { if (r + 0 > 0) printf "%.0f", r * 0.2; else print "-" }') ms for all of it."
} >"$OUT"
log "done: $OUT"
