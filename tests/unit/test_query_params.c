/*-------------------------------------------------------------------------
 *
 * test_query_params.c
 *	  Unit tests of pmx_query_params (shared/pmx_engine.c): what text and
 *	  values the core hands a host for a statement with $1..$n.
 *
 * No database: the PmxDb here only records what it is given, which is
 * the whole of the contract under test (the host boundary).  Expected
 * texts are written out by hand.
 *
 * IDENTIFICATION
 *	  tests/unit/test_query_params.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_engine.h"
#include "pmx_internal.h"

typedef struct Seen
{
	char		sql[512];
	int			n;
	const char *const *values;
	int			calls;
} Seen;

/* PmxDb.query that keeps the text it was given. */
static int
seen_query(void *ud, PmxCtx *ctx, const char *sql, PmxRowFn row, void *arg)
{
	Seen	   *s = ud;

	(void) ctx;
	(void) row;
	(void) arg;
	snprintf(s->sql, sizeof(s->sql), "%s", sql);
	s->calls++;
	return PMX_OK;
}

/* PmxDb.query_params that keeps the text and values it was given. */
static int
seen_query_params(void *ud, PmxCtx *ctx, const char *sql, int n,
				  const char *const *values, PmxRowFn row, void *arg)
{
	Seen	   *s = ud;

	(void) ctx;
	(void) row;
	(void) arg;
	snprintf(s->sql, sizeof(s->sql), "%s", sql);
	s->n = n;
	s->values = values;
	s->calls++;
	return PMX_OK;
}

/* A PmxDb over s, with or without query_params. */
static PmxDb
seen_db(Seen *s, bool with_params)
{
	PmxDb		db;

	memset(&db, 0, sizeof(db));
	memset(s, 0, sizeof(*s));
	db.ud = s;
	db.dialect = PMX_DIALECT_SQLITE;
	db.query = seen_query;
	if (with_params)
		db.query_params = seen_query_params;
	return db;
}

TEST(literals_without_host_params)
{
	PmxCtx	   *ctx = test_ctx();
	Seen		s;
	PmxDb		db = seen_db(&s, false);
	const char *v[] = {"it's", NULL, "$1 stays", "x", "y", "z", "a", "b", "c", "ten"};

	CHECK(pmx_query_params(ctx, &db, "INSERT INTO t VALUES ($1, $2, $3, $10)", 10, v, NULL, NULL) == PMX_OK);
	CHECK(s.calls == 1);
	CHECK(strcmp(s.sql, "INSERT INTO t VALUES ('it''s', NULL, '$1 stays', 'ten')") == 0);
	pmx_ctx_free(ctx);
}

TEST(dollar_not_a_parameter_is_kept)
{
	PmxCtx	   *ctx = test_ctx();
	Seen		s;
	PmxDb		db = seen_db(&s, false);
	const char *v[] = {"one", "two"};

	/* $0, $3 (beyond n), "$ 1", "$+1", a trailing $ are not parameters */
	CHECK(pmx_query_params(ctx, &db, "SELECT $0, $3, $ 1, $+1, $2, $", 2, v, NULL, NULL) == PMX_OK);
	CHECK(strcmp(s.sql, "SELECT $0, $3, $ 1, $+1, 'two', $") == 0);
	pmx_ctx_free(ctx);
}

TEST(host_params_get_text_and_values_apart)
{
	PmxCtx	   *ctx = test_ctx();
	Seen		s;
	PmxDb		db = seen_db(&s, true);
	const char *v[] = {"it's", NULL};

	CHECK(pmx_query_params(ctx, &db, "UPDATE t SET a = $1, b = $2", 2, v, NULL, NULL) == PMX_OK);
	CHECK(s.calls == 1);
	CHECK(strcmp(s.sql, "UPDATE t SET a = $1, b = $2") == 0);
	CHECK(s.n == 2 && s.values == v);
	pmx_ctx_free(ctx);
}

int
main(void)
{
	RUN(literals_without_host_params);
	RUN(dollar_not_a_parameter_is_kept);
	RUN(host_params_get_text_and_values_apart);
	return TEST_DONE();
}
