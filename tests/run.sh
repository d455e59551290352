#!/bin/sh
# premix test runner: every test, then one summary line "N passed, N failed".
#
# Suites (each prints PASS/FAIL lines that are counted here):
#   unit      tests/unit/test_*.c       core, no database, ASan+UBSan (clang)
#   sqlite    tests/sqlite/*.sql        sqlite3 CLI golden files (expected/*.out)
#   harness   tests/harness/test_*.c    C against libsqlite3, ASan+UBSan, and once under valgrind
#   fuzz      tests/fuzz/fuzz_*.c       libFuzzer, FUZZ_SECONDS each (default 15) on the seed corpus
#   crash     tests/crash/run.sh        SIGKILL during large applies, integrity + before/after
#   pg        tests/pg/run.sh           PostgreSQL extension: throwaway cluster, pg_regress + isolation
#   cli       tests/cli/run.sh          the premix command against SQLite files and a throwaway cluster
#   parity    tests/parity/run.sh       make parity: one target on SQLite, PostgreSQL and MariaDB, premix_parity every pair
#   roundtrip tests/roundtrip/run.sh    every plan of the test corpus applied, then its down: schema and rows back
#   mysql     tests/mysql/run.sh        MariaDB UDF shim and premix_schema procedure on a throwaway server
# Select suites with SUITES="unit sqlite"; default all.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${PREMIX_TEST_OUT:-$ROOT/tests/results}	# PREMIX_TEST_OUT: elsewhere (it is emptied first)
rm -rf "$OUT"; mkdir -p "$OUT"
SUITES=${SUITES:-"unit sqlite harness fuzz crash pg cli parity roundtrip mysql"}
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
CC_SAN=${CC_SAN:-clang}
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -g -O1"
CORE_SRC=$(ls shared/*.c)
LIBS="-ljansson -lnettle"
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

# count PASS/FAIL lines a program printed (file $2); a non-zero exit with no FAIL line is one failure
tally() {
	name=$1; file=$2; rc=$3
	p=$(grep -c '^PASS ' "$file"); f=$(grep -c '^FAIL ' "$file")
	grep -E '^(PASS|FAIL) ' "$file" | sed "s|^\(PASS\|FAIL\) |\1 $name/|"
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then ko "$name (exit $rc)"; tail -20 "$file"; fi
	# context printed after a FAIL line (the program's own explanation)
	if [ "$f" != 0 ]; then grep -A5 '^FAIL ' "$file" | grep -v '^\(PASS\|FAIL\) ' | grep -v '^--$' | head -40; fi
}

# core_objs DIR "FLAGS": shared/*.c compiled once into DIR/*.o, two at a
# time (the machine has two cores), for the test programs to link; the
# compiler's messages in DIR.build; non-zero when a file does not compile
core_objs() {
	mkdir -p "$1"
	printf '%s\n' $CORE_SRC |
		xargs -P 2 -I '{}' sh -c "$CC_SAN -std=c11 $2 -Ishared -c -o \"$1/\$(basename '{}' .c).o\" '{}'" 2>"$1.build"
}

echo "== build"
if make -s core sqlite >"$OUT/build.log" 2>&1; then ok build; else ko build; cat "$OUT/build.log"; echo "$pass passed, $fail failed"; exit 1; fi

for suite in $SUITES; do
case $suite in
unit)
	echo "== unit (ASan+UBSan)"
	if [ ! -d "$OUT/asan-core" ] && ! core_objs "$OUT/asan-core" "$SAN -fPIC"; then
		ko "unit (core build)"; cat "$OUT/asan-core.build"; continue
	fi
	for t in tests/unit/test_*.c; do
		[ -e "$t" ] || continue
		n=$(basename "$t" .c)
		if $CC_SAN -std=c11 $SAN -Ishared -Itests/unit -o "$OUT/$n" "$t" "$OUT"/asan-core/*.o $LIBS 2>"$OUT/$n.build"; then
			"$OUT/$n" >"$OUT/$n.out" 2>&1; tally "unit/$n" "$OUT/$n.out" $?
		else ko "unit/$n (build)"; cat "$OUT/$n.build"; fi
	done ;;
sqlite)
	echo "== sqlite (sqlite3 CLI, golden files)"
	for f in tests/sqlite/*.sql; do
		[ -e "$f" ] || continue
		n=$(basename "$f" .sql)
		rm -f "$OUT/$n.db"
		PREMIX_TEST_DB="$OUT/$n.db" sqlite3 -batch "$OUT/$n.db" <"$f" >"$OUT/$n.out" 2>&1
		if diff -u "tests/sqlite/expected/$n.out" "$OUT/$n.out" >"$OUT/$n.diff" 2>&1; then ok "sqlite/$n"
		else ko "sqlite/$n"; head -60 "$OUT/$n.diff"; fi
	done ;;
harness)
	echo "== harness (libsqlite3 + extension, ASan+UBSan)"
	mkdir -p "$OUT/asan"
	if { [ -d "$OUT/asan-core" ] || core_objs "$OUT/asan-core" "$SAN -fPIC"; } &&
		$CC_SAN -std=c11 $SAN -fPIC -shared -Ishared -o "$OUT/asan/premix.so" "$OUT"/asan-core/*.o sqlite_premix/*.c $LIBS 2>"$OUT/asan.build"; then
		for t in tests/harness/test_*.c; do
			[ -e "$t" ] || continue
			n=$(basename "$t" .c)
			if $CC_SAN -std=c11 $SAN -Itests/harness -o "$OUT/$n" "$t" -lsqlite3 2>"$OUT/$n.build"; then
				PREMIX_EXT="$OUT/asan/premix" ASAN_OPTIONS=detect_leaks=1 "$OUT/$n" >"$OUT/$n.out" 2>&1
				tally "harness/$n" "$OUT/$n.out" $?
			else ko "harness/$n (build)"; cat "$OUT/$n.build"; fi
		done
		echo "== harness under valgrind (plain build)"
		for t in tests/harness/test_*.c; do
			[ -e "$t" ] || continue
			n=$(basename "$t" .c)
			if gcc -std=c11 -g -O0 -Itests/harness -o "$OUT/${n}_vg" "$t" -lsqlite3 2>"$OUT/${n}_vg.build"; then
				PREMIX_EXT="$ROOT/sqlite_premix/premix" valgrind -q --error-exitcode=99 --leak-check=full \
					--errors-for-leak-kinds=definite "$OUT/${n}_vg" >"$OUT/${n}_vg.out" 2>&1
				rc=$?
				if [ $rc = 0 ]; then ok "valgrind/$n"; else ko "valgrind/$n (exit $rc)"; grep -v '^PASS' "$OUT/${n}_vg.out" | head -30; fi
			else ko "valgrind/$n (build)"; fi
		done
	else ko "harness (asan build)"; cat "$OUT/asan-core.build" "$OUT/asan.build"; fi ;;
fuzz)
	echo "== fuzz (libFuzzer, ${FUZZ_SECONDS}s each)"
	if ! CC_SAN=clang core_objs "$OUT/fuzz-core" "-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"; then
		ko "fuzz (core build)"; cat "$OUT/fuzz-core.build"; continue
	fi
	for t in tests/fuzz/fuzz_*.c; do
		[ -e "$t" ] || continue
		n=$(basename "$t" .c)
		corpus=tests/fuzz/corpus_${n#fuzz_}
		mkdir -p "$OUT/$n.corpus"
		if clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Ishared \
			-o "$OUT/$n" "$t" "$OUT"/fuzz-core/*.o $LIBS 2>"$OUT/$n.build"; then
			if "$OUT/$n" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
				-artifact_prefix="$OUT/$n-" "$OUT/$n.corpus" "$corpus" >"$OUT/$n.log" 2>&1; then
				ok "fuzz/$n ($(grep -o 'Done [0-9]* runs' "$OUT/$n.log" | tail -1))"
			else ko "fuzz/$n"; tail -40 "$OUT/$n.log"; fi
		else ko "fuzz/$n (build)"; cat "$OUT/$n.build"; fi
	done ;;
crash)
	echo "== crash (SIGKILL during apply)"
	if [ -x tests/crash/run.sh ] || [ -e tests/crash/run.sh ]; then
		sh tests/crash/run.sh "$OUT/crash" >"$OUT/crash.out" 2>&1
		tally crash "$OUT/crash.out" $?
	fi ;;
pg)
	echo "== pg (throwaway PostgreSQL cluster, pg_regress, isolation tester)"
	sh tests/pg/run.sh "$OUT/pg" >"$OUT/pg.out" 2>&1
	tally pg "$OUT/pg.out" $? ;;
cli)
	echo "== cli (premix command: SQLite, PostgreSQL, valgrind)"
	sh tests/cli/run.sh "$OUT/cli" >"$OUT/cli.out" 2>&1
	tally cli "$OUT/cli.out" $? ;;
parity)
	echo "== parity (premix_parity: SQLite, PostgreSQL and MariaDB, every pair both ways)"
	sh tests/parity/run.sh "$OUT/parity" >"$OUT/parity.out" 2>&1
	tally parity "$OUT/parity.out" $? ;;
roundtrip)
	echo "== roundtrip (every plan of the test corpus: up, then down, schema and rows back)"
	sh tests/roundtrip/run.sh all >"$OUT/roundtrip.out" 2>&1
	tally roundtrip "$OUT/roundtrip.out" $? ;;
mysql)
	echo "== mysql (MariaDB UDF shim, throwaway server)"
	sh tests/mysql/run.sh "$OUT/mysql" >"$OUT/mysql.out" 2>&1
	tally mysql "$OUT/mysql.out" $?
	grep '^TODO ' "$OUT/mysql.out" ;;
esac
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
