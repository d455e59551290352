/*-------------------------------------------------------------------------
 *
 * test_schema_cache.c
 *	  Unit tests of shared/pmx_schema_cache.c: a hit only on the exact key,
 *	  and copies in and out that share no memory with the call that made
 *	  them (the maker's context freed, a copy changed: the cache is intact;
 *	  ASan sees any pointer left behind).
 *
 * IDENTIFICATION
 *	  tests/unit/test_schema_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_engine.h"
#include "pmx_json.h"
#include "pmx_model.h"

static const char *const doc =
	"{\"tables\": [{\"name\": \"users\", \"columns\": ["
	"{\"name\": \"id\", \"type\": \"integer\", \"nullable\": false},"
	"{\"name\": \"email\", \"type\": \"text\", \"default\": \"'x'\"}],"
	"\"primary_key\": {\"columns\": [\"id\"]},"
	"\"unique\": [{\"name\": \"u_email\", \"columns\": [\"email\"]}],"
	"\"checks\": [{\"name\": \"c_email\", \"expression\": \"length(email) > 3\"}],"
	"\"indexes\": [{\"name\": \"i_email\", \"columns\": [\"email\"], \"where\": \"id > 0\"}]},"
	"{\"name\": \"posts\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"},"
	"{\"name\": \"user_id\", \"type\": \"integer\"}],"
	"\"foreign_keys\": [{\"columns\": [\"user_id\"], \"ref_table\": \"users\", \"ref_columns\": [\"id\"],"
	"\"on_delete\": \"cascade\"}]}]}";

/* The canonical JSON of s (in ctx). */
static char *
json_of(PmxCtx *ctx, PmxSchema *s)
{
	return pmx_schema_to_json(ctx, s);
}

/* A model of doc in a context of its own (*made, caller frees). */
static PmxSchema *
make_model(PmxCtx **made)
{
	PmxJson    *j;

	PmxSchema  *s;

	*made = test_ctx();
	j = pmx_json_parse(*made, doc, "target");
	if (!j || !(s = pmx_schema_from_json(*made, j, PMX_DIALECT_SQLITE)))
	{
		printf("model: %s\n", pmx_ctx_error(*made)->message);
		exit(1);
	}
	return s;
}

/* Hit on the same key only; the copy reads as the original. */
TEST(hit_on_exact_key)
{
	PmxAllocator a = {NULL, t_alloc, t_free};
	PmxSchemaCache *c = pmx_schema_cache_new(&a, NULL);
	PmxCtx	   *maker,
			   *ctx = test_ctx();
	PmxSchema  *m = make_model(&maker);
	PmxSchema  *got = NULL;
	char	   *want;
	long		hits,
				misses;

	CHECK(c != NULL && m != NULL);
	want = json_of(ctx, m);
	pmx_schema_cache_put(c, "key-1", 5, m);
	pmx_ctx_free(maker);		/* nothing in the cache may point into it */

	CHECK(pmx_schema_cache_get(ctx, c, "key-2", 5, &got) == PMX_OK && got == NULL);
	CHECK(pmx_schema_cache_get(ctx, c, "key-", 4, &got) == PMX_OK && got == NULL);
	CHECK(pmx_schema_cache_get(ctx, c, "key-1", 5, &got) == PMX_OK && got != NULL);
	CHECK(got && strcmp(json_of(ctx, got), want) == 0);
	pmx_schema_cache_stats(c, &hits, &misses);
	CHECK(hits == 1 && misses == 2);
	pmx_ctx_free(ctx);
	pmx_schema_cache_free(c);
}

/* Changing a copy handed out leaves the cached model as it was. */
TEST(copies_are_independent)
{
	PmxAllocator a = {NULL, t_alloc, t_free};
	PmxSchemaCache *c = pmx_schema_cache_new(&a, NULL);
	PmxCtx	   *maker,
			   *ctx = test_ctx();
	PmxSchema  *m = make_model(&maker);
	PmxSchema  *one = NULL,
			   *two = NULL;
	char	   *want = json_of(ctx, m);

	pmx_schema_cache_put(c, "k", 1, m);
	pmx_ctx_free(maker);
	CHECK(pmx_schema_cache_get(ctx, c, "k", 1, &one) == PMX_OK && one != NULL);
	if (one)
	{
		/* what pmx_rename.c and the planners do to the live model */
		PmxTable   *users = pmx_schema_find(ctx, one, "users");
		PmxTable   *posts = pmx_schema_find(ctx, one, "posts");

		CHECK(users && posts && posts->nfks == 1 && users->nindexes == 1);
		if (users && posts && posts->nfks == 1)
		{
			users->name[0] = 'X';
			users->cols[0].type[0] = 'X';
			users->ncols = 1;
			users->indexes[0].where[0] = 'X';
			posts->fks[0].ref_table[0] = 'X';
			posts->fks[0].cols.v[0][0] = 'X';
		}
		one->ntables = 1;
	}
	CHECK(pmx_schema_cache_get(ctx, c, "k", 1, &two) == PMX_OK && two != NULL);
	CHECK(two && strcmp(json_of(ctx, two), want) == 0);
	pmx_ctx_free(ctx);
	pmx_schema_cache_free(c);
}

/* A new put replaces the old model; free(NULL) is a no-op. */
TEST(put_replaces)
{
	PmxAllocator a = {NULL, t_alloc, t_free};
	PmxSchemaCache *c = pmx_schema_cache_new(&a, NULL);
	PmxCtx	   *maker,
			   *ctx = test_ctx();
	PmxSchema  *m = make_model(&maker);
	PmxSchema  *got = NULL;

	pmx_schema_cache_put(c, "old", 3, m);
	m->ntables = 1;
	pmx_schema_cache_put(c, "new", 3, m);
	pmx_ctx_free(maker);
	CHECK(pmx_schema_cache_get(ctx, c, "old", 3, &got) == PMX_OK && got == NULL);
	CHECK(pmx_schema_cache_get(ctx, c, "new", 3, &got) == PMX_OK && got && got->ntables == 1);
	pmx_ctx_free(ctx);
	pmx_schema_cache_free(c);
	pmx_schema_cache_free(NULL);
}

int
main(void)
{
	RUN(hit_on_exact_key);
	RUN(copies_are_independent);
	RUN(put_replaces);
	return TEST_DONE();
}
