# premix top-level Makefile.
#
# PGXS part (PostgreSQL host): when pg_premix/ has sources and the server's
# PGXS (postgresql-server-dev-15) is found, PGXS is included and provides
# all/install/installcheck for the extension; the SQLite targets below are
# added to install.
#
# Our own targets:
#   make core          compile shared/ alone: -std=c11 -Wall -Wextra -Werror -Ishared
#   make sqlite        sqlite_premix/premix.so (entry point sqlite3_premix_init)
#   make install       install premix.so where `.load premix` finds it
#   make demo          the SQLite demo (demo/demo.sql)
#   make test          every test; ends with "N passed, N failed"
#   make bench         bench/ figures (not a test)

EXTENSION = premix
MODULE_big = premix

ifneq ($(wildcard pg_premix/*.c),)
PG_CONFIG ?= pg_config
# libpq-dev also ships a pg_config: PGXS only when the server's pgxs.mk is there
PGXS := $(wildcard $(shell $(PG_CONFIG) --pgxs 2>/dev/null))
endif

CORE_SRC := $(sort $(wildcard shared/*.c))
CORE_HDR := $(wildcard shared/*.h)
SQLITE_SRC := $(sort $(wildcard sqlite_premix/*.c))
CORE_LIBS := -lnettle

CC ?= cc
CSTD := -std=c11
WARN := -Wall -Wextra -Werror
OPT ?= -O2 -g

SQLITE_EXTDIR ?= /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null)

ifneq ($(PGXS),)
OBJS = $(patsubst %.c,%.o,$(CORE_SRC) $(wildcard pg_premix/*.c))
PG_CPPFLAGS = -Ishared
SHLIB_LINK = $(CORE_LIBS)
DATA = $(wildcard pg_premix/premix--*.sql)
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
ISOLATION = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
include $(PGXS)
# PGXS tracks no header dependencies: every object depends on every header
$(OBJS): $(CORE_HDR) $(wildcard pg_premix/*.h)
install: install-sqlite
else
all: sqlite
install: install-sqlite
clean: clean-local
endif

.PHONY: core sqlite install-sqlite demo test check-core check-sqlite check-fuzz check-crash bench clean-local

# The proof that the core includes no host header: only -Ishared.
core: build/core.stamp
build/core.stamp: $(CORE_SRC) $(CORE_HDR)
	@mkdir -p build/core
	@set -e; for f in $(CORE_SRC); do \
		$(CC) $(CSTD) $(WARN) $(OPT) -fPIC -Ishared -c $$f -o build/core/$$(basename $$f .c).o; \
	done
	@$(CC) -shared -Wl,--no-undefined -o build/core/libpremix_core.so build/core/*.o $(CORE_LIBS)
	@touch $@
	@echo "core: $(words $(CORE_SRC)) files compiled with -Ishared only, linked with no undefined symbol"

sqlite: sqlite_premix/premix.so
sqlite_premix/premix.so: $(CORE_SRC) $(CORE_HDR) $(SQLITE_SRC) $(wildcard sqlite_premix/*.h)
	$(CC) $(CSTD) $(WARN) $(OPT) -fPIC -shared -fvisibility=hidden -Ishared \
		-o $@ $(CORE_SRC) $(SQLITE_SRC) $(CORE_LIBS)

install-sqlite: sqlite_premix/premix.so
	install -d $(DESTDIR)$(SQLITE_EXTDIR)
	install -m 0644 sqlite_premix/premix.so $(DESTDIR)$(SQLITE_EXTDIR)/premix.so

demo: sqlite_premix/premix.so
	sh demo/run.sh

test:
	sh tests/run.sh

bench: sqlite_premix/premix.so
	sh bench/run.sh

clean-local:
	rm -rf build sqlite_premix/premix.so tests/results

# ---- premix command line (cli/) -------------------------------------------
# cli/premix drives the SQL functions of the database; it links libpq,
# libsqlite3 and jansson, not the core.  `make install` puts it in
# $(DESTDIR)$(CLI_BINDIR).
CLI_SRC := $(sort $(wildcard cli/*.c))
CLI_BINDIR ?= /usr/local/bin
.PHONY: cli install-cli
cli: cli/premix
cli/premix: $(CLI_SRC) $(wildcard cli/*.h)
	$(CC) $(CSTD) $(WARN) $(OPT) -D_POSIX_C_SOURCE=200809L \
		$(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql) \
		-o $@ $(CLI_SRC) -lpq -lsqlite3 -ljansson
install: install-cli
install-cli: cli/premix
	install -d $(DESTDIR)$(CLI_BINDIR)
	install -m 0755 cli/premix $(DESTDIR)$(CLI_BINDIR)/premix
# ---- end of premix command line ---------------------------------------------

# ---- parity: premix_parity across dialects (tests/parity/) -------------------
# make parity          sh tests/parity/run.sh: tests/parity/target.json on a
#                      fresh SQLite file, a throwaway PostgreSQL cluster and a
#                      throwaway MariaDB server, premix_parity every pair both
#                      ways, deliberate mismatches reported
#                      (non-zero exit), README's dialect report checked
# make dialect-report  the Markdown "Dialect report" of README.md, printed
#                      from shared/pmx_types.c's own type table
.PHONY: parity dialect-report
DIALECT_REPORT_SRC := $(filter-out shared/pmx_types.c,$(CORE_SRC))
build/dialect_report: tests/parity/dialect_report.c $(CORE_SRC) $(CORE_HDR)
	@mkdir -p build
	@$(CC) $(CSTD) $(WARN) $(OPT) -Ishared -o $@ $< $(DIALECT_REPORT_SRC) $(CORE_LIBS)
dialect-report: build/dialect_report
	@./build/dialect_report
parity:
	sh tests/parity/run.sh
# ---- end of parity -------------------------------------------------------------

# ---- MySQL/MariaDB UDF (mysql_premix/) --------------------------------------
# make mysql: mysql_premix/premix_udf.so, the core plus the UDF shim, built
# against Connector/C's headers (mariadb_config --cflags; libmariadb-dev).
# Nothing from libmariadb is linked: the UDFs only use its types.
# Install: copy the .so into the server's @@plugin_dir, then source
# mysql_premix/premix.sql.  tests/mysql/run.sh does both against a
# throwaway server (tests/mysql/server.sh).
MYSQL_SRC := $(sort $(wildcard mysql_premix/*.c))
MARIADB_CFLAGS = $(shell mariadb_config --cflags 2>/dev/null)
.PHONY: mysql check-mysql
mysql: mysql_premix/premix_udf.so
mysql_premix/premix_udf.so: $(CORE_SRC) $(CORE_HDR) $(MYSQL_SRC) $(wildcard mysql_premix/*.h)
	@test -n "$(MARIADB_CFLAGS)" || { echo "make mysql: mariadb_config not found (apt-get install libmariadb-dev)" >&2; exit 1; }
	$(CC) $(CSTD) $(WARN) $(OPT) -fPIC -shared -fvisibility=hidden -Wl,--no-undefined \
		-Ishared $(MARIADB_CFLAGS) -o $@ $(CORE_SRC) $(MYSQL_SRC) $(CORE_LIBS)
check-mysql: mysql_premix/premix_udf.so sqlite_premix/premix.so
	sh tests/mysql/run.sh
# the shim without a server, under ASan+UBSan (tests/mysql/run.sh runs it)
MYSQL_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -g -O1
build/mysql/test_udf: tests/mysql/test_udf.c $(CORE_SRC) $(CORE_HDR) $(MYSQL_SRC)
	@mkdir -p build/mysql
	$${CC_SAN:-clang} $(CSTD) $(WARN) $(MYSQL_SAN) -Ishared $(MARIADB_CFLAGS) -o $@ \
		tests/mysql/test_udf.c $(MYSQL_SRC) $(CORE_SRC) $(CORE_LIBS) -ljansson
clean: clean-mysql
.PHONY: clean-mysql
clean-mysql:
	rm -f mysql_premix/premix_udf.so
# ---- end of MySQL/MariaDB UDF -------------------------------------------------
