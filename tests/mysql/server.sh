#!/bin/sh
# A throwaway MariaDB server on a unix socket (../shared/ENVIRONMENT.md, section 4).
#   sh tests/mysql/server.sh start DIR   -> prints the export line for the client
#   sh tests/mysql/server.sh stop DIR
#
# DIR holds everything: data/, plugin/ (the server's --plugin-dir, where
# premix_udf.so is copied), mysqld.sock, mysqld.pid, error.log.  start
# first stops a server a killed run left behind in DIR (its pid file names
# it, and it is only signalled when its command line names DIR), then
# recreates DIR from scratch.  No TCP port: --skip-networking.  Durability
# is traded for speed (no fsync, one tablespace): 500 CREATE TABLEs take
# about 2 s instead of 20.
#
# The export line sets MYSQL_UNIX_PORT (honoured by libmariadb and the
# mariadb client), MDB_DIR, MDB_PLUGIN_DIR and MDB, the client command
# (utf8mb4, as the server's default character set):
#   eval "$(sh tests/mysql/server.sh start /tmp/m)"; $MDB -e 'SELECT 1'
# As root mariadbd needs --user=root; the root account is then reached
# through unix_socket.  As another user, root@localhost gets an empty
# password (--auth-root-authentication-method=normal).
set -eu
cmd=${1:?usage: server.sh start|stop DIR}
D=${2:?usage: server.sh start|stop DIR}
case $D in /*) ;; *) D=$(pwd)/$D ;; esac
SOCK=$D/mysqld.sock
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}
USEROPT=""
AUTHOPT=""
if [ "$(id -u)" = 0 ]; then USEROPT="--user=root"; else AUTHOPT="--auth-root-authentication-method=normal"; fi
admin() { mariadb-admin --no-defaults --socket="$SOCK" --user=root --connect-timeout=2 "$@"; }

# the pid of the server that runs in DIR, or nothing: from its pid file, else
# (killed before it wrote one) the mariadbd whose command line names DIR's datadir
server_pid() {
	p=$(cat "$D/mysqld.pid" 2>/dev/null || true)
	case $p in '' | *[!0-9]*) p="" ;; esac
	if [ -n "$p" ] && names_dir "$p"; then
		echo "$p"
		return 0
	fi
	[ -d "$D/data" ] || return 0
	for f in /proc/[0-9]*/comm; do
		comm=""
		{ read -r comm <"$f"; } 2>/dev/null || continue
		[ "$comm" = mariadbd ] || [ "$comm" = mysqld ] || continue
		p=${f#/proc/}
		p=${p%/comm}
		if names_dir "$p"; then
			echo "$p"
			return 0
		fi
	done
}

# true when process $1 is alive and is a mariadbd of DIR
names_dir() {
	kill -0 "$1" 2>/dev/null &&
		tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$D/data"
}

# stop the server in DIR: shutdown through the socket, else SIGTERM, else SIGKILL
stop_server() {
	p=$(server_pid)
	[ -n "$p" ] || return 0
	admin shutdown >/dev/null 2>&1 || kill -TERM "$p" 2>/dev/null || true
	i=0
	while kill -0 "$p" 2>/dev/null; do
		i=$((i + 1))
		if [ $i = 300 ]; then kill -TERM "$p" 2>/dev/null || true; fi
		if [ $i -ge 600 ]; then kill -KILL "$p" 2>/dev/null || true; break; fi
		sleep 0.05
	done
	rm -f "$D/mysqld.pid" "$SOCK" "$SOCK.lock"
}

# A fresh data directory in $1: a copy of a template made once per server
# version and user (mariadb-install-db takes seconds, a copy milliseconds).
# The template is built under a temporary name and renamed into place, so
# it is complete or absent, whatever was killed when.  MDB_NO_TEMPLATE=1
# runs mariadb-install-db into $1 directly.
install_datadir() {
	if [ "${MDB_NO_TEMPLATE:-}" = 1 ]; then
		run_install_db "$1"
		return
	fi
	ver=$("$MARIADBD" --version 2>/dev/null | cksum | cut -d' ' -f1)
	tmpl=${MDB_TEMPLATE_DIR:-${TMPDIR:-/tmp}/premix-mariadb-template-$(id -u)-$ver}
	if [ ! -d "$tmpl/data" ]; then
		rm -rf "$tmpl.new.$$"
		mkdir -p "$tmpl.new.$$"
		run_install_db "$tmpl.new.$$/data"
		mv "$tmpl.new.$$" "$tmpl" 2>/dev/null || rm -rf "$tmpl.new.$$"  # another run won: use its copy
	fi
	cp -R "$tmpl/data" "$1"
}

run_install_db() {
	if ! mariadb-install-db --no-defaults $USEROPT $AUTHOPT --datadir="$1" \
		--skip-test-db --skip-name-resolve >"$D/install-db.log" 2>&1; then
		echo "server.sh: mariadb-install-db failed:" >&2
		tail -20 "$D/install-db.log" >&2
		exit 1
	fi
}

case $cmd in
start)
	if [ ${#SOCK} -gt 100 ]; then
		echo "server.sh: socket path too long for a unix socket (${#SOCK} > 100): $SOCK" >&2
		exit 1
	fi
	stop_server
	rm -rf "$D"
	mkdir -p "$D/plugin"
	install_datadir "$D/data"
	# setsid: the server outlives this script and the caller's job control
	setsid "$MARIADBD" --no-defaults $USEROPT --datadir="$D/data" --socket="$SOCK" \
		--pid-file="$D/mysqld.pid" --log-error="$D/error.log" --plugin-dir="$D/plugin" \
		--skip-networking --skip-log-bin --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_general_ci --innodb-buffer-pool-size=64M \
		--innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-fast-shutdown=1 \
		--innodb-flush-method=nosync --innodb-file-per-table=0 --sync-binlog=0 \
		--innodb-buffer-pool-dump-at-shutdown=0 --innodb-buffer-pool-load-at-startup=0 \
		--table-definition-cache=2000 --table-open-cache=2000 \
		</dev/null >/dev/null 2>&1 &
	MPID=$!
	i=0
	until admin ping >/dev/null 2>&1; do
		if ! kill -0 "$MPID" 2>/dev/null; then
			echo "server.sh: mariadbd exited during startup:" >&2
			tail -30 "$D/error.log" >&2
			exit 1
		fi
		i=$((i + 1))
		if [ $i -ge 600 ]; then
			echo "server.sh: mariadbd did not answer within 30 s" >&2
			kill -TERM "$MPID" 2>/dev/null || true
			exit 1
		fi
		sleep 0.05
	done
	echo "export MYSQL_UNIX_PORT='$SOCK' MDB_DIR='$D' MDB_PLUGIN_DIR='$D/plugin' MDB='mariadb --no-defaults --socket=$SOCK --user=root --default-character-set=utf8mb4'"
	;;
stop)
	stop_server
	;;
*)
	echo "usage: server.sh start|stop DIR" >&2
	exit 2
	;;
esac
