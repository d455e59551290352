/*-------------------------------------------------------------------------
 *
 * test_pool.c
 *	  Unit tests of the arena's memory: blocks kept in a pool between
 *	  contexts (pmx_pool.c), and pmx_realloc growing the newest
 *	  allocation in place (pmx_ctx.c).
 *
 * IDENTIFICATION
 *	  tests/unit/test_pool.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_internal.h"

/* Counts the allocator's live blocks, to see what the pool keeps or frees. */
static long live_blocks = 0;

static void *
count_alloc(void *ud, size_t n)
{
	(void) ud;
	live_blocks++;
	return malloc(n);
}

static void
count_free(void *ud, void *p)
{
	(void) ud;
	if (p)
		live_blocks--;
	free(p);
}

static const PmxAllocator counting = {NULL, count_alloc, count_free};

/* A second context reuses the blocks the first gave back: no new allocation. */
TEST(blocks_are_reused)
{
	PmxPool    *pool = pmx_pool_new(&counting, 64 * 1024 * 1024);
	PmxCtx	   *ctx = pmx_ctx_new_pooled(&counting, pool);
	long		after_first;

	/* 3 MB of small allocations: blocks of growing size classes */
	for (int i = 0; i < 3 * 1024; i++)
		CHECK(pmx_alloc(ctx, 1000) != NULL);
	pmx_ctx_free(ctx);
	CHECK(pmx_pool_kept(pool) >= 3u * 1024 * 1000);
	after_first = live_blocks;

	ctx = pmx_ctx_new_pooled(&counting, pool);
	for (int i = 0; i < 3 * 1024; i++)
	{
		char	   *p = pmx_alloc(ctx, 1000);

		CHECK(p != NULL);
		/* a reused block hands out zeroed memory all the same */
		CHECK(p[0] == 0 && p[999] == 0);
		memset(p, 0xAB, 1000);
	}
	/* only the context itself was allocated */
	CHECK(live_blocks == after_first + 1);
	pmx_ctx_free(ctx);
	pmx_pool_free(pool);
	CHECK(live_blocks == 0);
}

/* The pool never holds more than keep_bytes: the rest goes back at once. */
TEST(keep_limit)
{
	PmxPool    *pool = pmx_pool_new(&counting, 256 * 1024);
	PmxCtx	   *ctx = pmx_ctx_new_pooled(&counting, pool);

	for (int i = 0; i < 4 * 1024; i++)
		CHECK(pmx_alloc(ctx, 1000) != NULL);
	pmx_ctx_free(ctx);
	CHECK(pmx_pool_kept(pool) <= 256 * 1024);
	CHECK(pmx_pool_kept(pool) > 0);
	pmx_pool_free(pool);
	CHECK(live_blocks == 0);
	pmx_pool_free(NULL);
}

/* A request larger than the biggest class gets its own block, freed, not kept. */
TEST(oversized_blocks_are_not_kept)
{
	PmxPool    *pool = pmx_pool_new(&counting, 64 * 1024 * 1024);
	PmxCtx	   *ctx = pmx_ctx_new_pooled(&counting, pool);
	char	   *big = pmx_alloc(ctx, 5 * 1024 * 1024);

	CHECK(big != NULL && big[5 * 1024 * 1024 - 1] == 0);
	pmx_ctx_free(ctx);
	CHECK(pmx_pool_kept(pool) < 5u * 1024 * 1024);
	pmx_pool_free(pool);
	CHECK(live_blocks == 0);
}

/* The newest allocation grows in place, keeps its bytes and zeroes the rest. */
TEST(realloc_in_place)
{
	PmxCtx	   *ctx = test_ctx();
	char	   *a = pmx_alloc(ctx, 40);
	char	   *b;
	char	   *c;

	memset(a, 'x', 40);
	b = pmx_realloc(ctx, a, 40, 200);
	CHECK(b == a);
	CHECK(b[39] == 'x' && b[40] == 0 && b[199] == 0);
	/* once something else was allocated, it is copied instead */
	c = pmx_alloc(ctx, 8);
	CHECK(c != NULL);
	b = pmx_realloc(ctx, a, 200, 400);
	CHECK(b != a);
	CHECK(b[0] == 'x' && b[39] == 'x' && b[40] == 0 && b[399] == 0);
	/* shrinking or equal keeps it */
	CHECK(pmx_realloc(ctx, b, 400, 100) == b);
	/* from nothing */
	CHECK((c = pmx_realloc(ctx, NULL, 0, 64)) != NULL && c[63] == 0);
	pmx_ctx_free(ctx);
}

/* Arrays grown by PMX_PUSH keep every element whether or not they moved. */
TEST(push_keeps_elements)
{
	PmxCtx	   *ctx = test_ctx();
	int		   *v = NULL;
	int			n = 0,
				cap = 0;

	for (int i = 0; i < 100000; i++)
	{
		CHECK(PMX_PUSH(ctx, v, n, cap));
		v[n - 1] = i;
		if (i % 1000 == 0)
			CHECK(pmx_alloc(ctx, 24) != NULL);	/* something in between */
	}
	for (int i = 0; i < n; i++)
		if (v[i] != i)
		{
			CHECK(v[i] == i);
			break;
		}
	pmx_ctx_free(ctx);
}

int
main(void)
{
	RUN(blocks_are_reused);
	RUN(keep_limit);
	RUN(oversized_blocks_are_not_kept);
	RUN(realloc_in_place);
	RUN(push_keeps_elements);
	return TEST_DONE();
}
