#!/bin/sh
# A throwaway PostgreSQL 15 cluster on a unix socket (../shared/ENVIRONMENT.md, option B).
#   sh tests/pg/cluster.sh start DIR   -> prints the export line for PGHOST/PGPORT
#   sh tests/pg/cluster.sh stop DIR
# As root, initdb and pg_ctl run as the postgres user (PostgreSQL refuses root).
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=$1
D=$2
PORT=${PGTEST_PORT:-5499}
as_pg() {
	if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
case $cmd in
start)
	rm -rf "$D"
	mkdir -p "$D/sock"
	[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$D"
	as_pg "$PGBIN/initdb -D $D/data -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8" > "$D/initdb.log" 2>&1
	as_pg "$PGBIN/pg_ctl -D $D/data -l $D/server.log -w -t 60 -o '-k $D/sock -p $PORT -c listen_addresses= -c fsync=off -c full_page_writes=off' start" > /dev/null
	echo "export PGHOST=$D/sock PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres"
	;;
stop)
	as_pg "$PGBIN/pg_ctl -D $D/data -m fast -w stop" > /dev/null 2>&1 || true
	;;
esac
