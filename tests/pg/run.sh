#!/bin/sh
# PostgreSQL suite: build and install the extension, start a throwaway
# cluster, run pg_regress (sql/, expected/) and the isolation tester
# (specs/, expected/) with `make installcheck`, stop the cluster.
# Prints one PASS/FAIL line per test for tests/run.sh to count.
# Usage: sh tests/pg/run.sh OUTDIR
set -u
cd "$(dirname "$0")/../.."
OUT=${1:-tests/results/pg}
rm -rf "$OUT"; mkdir -p "$OUT"
D=$(mktemp -d /tmp/premix-pg.XXXXXX)
export PGTEST_PORT=${PGTEST_PORT:-5498}
MK="make -s USE_PGXS=1 with_llvm=no"
if ! $MK >"$OUT/build.log" 2>&1 || ! $MK install >>"$OUT/build.log" 2>&1; then
	echo "FAIL pg/build"; tail -30 "$OUT/build.log"; exit 1
fi
echo "PASS pg/build"
if ! env=$(sh tests/pg/cluster.sh start "$D"); then
	echo "FAIL pg/cluster"; cat "$D/server.log" "$D/initdb.log" 2>/dev/null | tail -20; exit 1
fi
trap 'sh tests/pg/cluster.sh stop "$D"; rm -rf "$D"' EXIT
eval "$env"
# the regression database is owned by root's client role: a non-superuser test role is created inside the tests
$MK installcheck >"$OUT/installcheck.log" 2>&1 </dev/null
rc=$?
# pg_regress prints "ok N - name" / "test name ... ok" lines (PG 15: "test x ... ok" or "     x ... ok")
grep -E '^(test | +|     )?[a-z0-9_-]+ +\.\.\. (ok|FAILED|failed)' "$OUT/installcheck.log" |
	sed -E 's/^(test |permutation )? *//' | while read -r name _ result _; do
	case $result in ok) echo "PASS pg/$name" ;; *) echo "FAIL pg/$name" ;; esac
done
if [ $rc != 0 ]; then
	for f in regression.diffs output_iso/regression.diffs; do [ -e "$f" ] && head -150 "$f"; done
	tail -20 "$OUT/installcheck.log"
fi
exit $rc
