#!/bin/sh
# Install the Debian packages premix needs to build and test, when missing.
# Usage: sh scripts/deps.sh [demo|test]   (default: test)
#   demo: compiler, SQLite, jansson, nettle
#   test: the same plus clang (sanitizers, libFuzzer) and valgrind
set -eu
what=${1:-test}
pkgs="make gcc libc6-dev pkg-config sqlite3 libsqlite3-dev libjansson-dev nettle-dev libpq-dev"
if [ "$what" = test ]; then
	pkgs="$pkgs clang libclang-rt-14-dev valgrind postgresql-15 postgresql-server-dev-15 mariadb-server libmariadb-dev"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
# do not let package scripts start services in containers
if [ "$(id -u)" = 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
