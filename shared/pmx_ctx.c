/*-------------------------------------------------------------------------
 *
 * pmx_ctx.c
 *	  The per-call context and its bump arena.
 *
 * An arena is a list of blocks taken from the host allocator.  Small
 * requests are carved from the newest block; requests larger than a quarter
 * block get a block of their own.  Nothing is freed before pmx_ctx_free(),
 * which returns every block to the host in one pass: error paths need no
 * cleanup.
 *
 * IDENTIFICATION
 *	  shared/pmx_ctx.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmx_internal.h"

#define BLOCK_HEADER PMX_BLOCK_HEADER

/*
 * Create a context that takes its memory from allocator.  Returns NULL when
 * the allocator cannot give the context itself; the caller reports OOM.
 */
PmxCtx *
pmx_ctx_new(const PmxAllocator *allocator)
{
	PmxCtx	   *ctx = allocator->alloc(allocator->ud, sizeof(PmxCtx));

	if (!ctx)
		return NULL;
	memset(ctx, 0, sizeof(*ctx));
	ctx->alloc = *allocator;
	ctx->pending.foreign_keys = -1;
	ctx->pending.legacy_alter_table = -1;
	return ctx;
}

/* See premix.h.  NULL is a no-op. */
void
pmx_ctx_release_arena(PmxCtx *ctx)
{
	PmxArenaBlock *b;

	if (!ctx)
		return;
	b = ctx->blocks;
	while (b)
	{
		PmxArenaBlock *next = b->next;

		if (ctx->pool)
			pmx_pool_give(ctx->pool, b);
		else
			ctx->alloc.free(ctx->alloc.ud, b);
		b = next;
	}
	ctx->blocks = NULL;
	ctx->last = NULL;
	ctx->last_size = 0;
}

/* A context whose arena blocks come from pool (see premix.h); NULL on OOM. */
PmxCtx *
pmx_ctx_new_pooled(const PmxAllocator *allocator, PmxPool *pool)
{
	PmxCtx	   *ctx = pmx_ctx_new(allocator);

	if (ctx)
		ctx->pool = pool;
	return ctx;
}

/* Return every arena block and the context to the host.  NULL is a no-op. */
void
pmx_ctx_free(PmxCtx *ctx)
{
	PmxAllocator a;

	if (!ctx)
		return;
	a = ctx->alloc;
	if (ctx->output)
		a.free(a.ud, ctx->output);
	pmx_ctx_release_arena(ctx);
	a.free(a.ud, ctx);
}

/* The last error recorded in ctx (code PMX_E_NONE when there is none). */
const PmxError *
pmx_ctx_error(const PmxCtx *ctx)
{
	return &ctx->err;
}

/* What a failed call left for the host to undo; see premix.h. */
PmxPending
pmx_ctx_pending(const PmxCtx *ctx)
{
	return ctx->pending;
}

/* See pmx_internal.h. */
int
pmx_ctx_keep_output(PmxCtx *ctx, const char *s)
{
	size_t		n = strlen(s) + 1;
	char	   *copy = ctx->alloc.alloc(ctx->alloc.ud, n);

	if (!copy)
		return pmx_error_nomem(ctx);
	memcpy(copy, s, n);
	if (ctx->output)
		ctx->alloc.free(ctx->alloc.ud, ctx->output);
	ctx->output = copy;
	return PMX_OK;
}

/* See premix.h. */
char *
pmx_ctx_take_output(PmxCtx *ctx)
{
	char	   *s = ctx->output;

	ctx->output = NULL;
	return s;
}

/* Take a new block of at least need usable bytes; NULL on OOM. */
static PmxArenaBlock *
arena_new_block(PmxCtx *ctx, size_t need)
{
	size_t		size = PMX_BLOCK_SIZE;
	PmxArenaBlock *b;

	/* a power of two up to PMX_BLOCK_MAX, so that the pool can reuse it */
	while (size < need && size < PMX_BLOCK_MAX)
		size *= 2;
	if (size < need)
		size = need;
	if (size > SIZE_MAX - BLOCK_HEADER)
		return NULL;
	if (ctx->pool)
		b = pmx_pool_take(ctx->pool, size);
	else
		b = NULL;
	if (!b)
		b = ctx->pool ? pmx_pool_alloc(ctx->pool, size) :
			ctx->alloc.alloc(ctx->alloc.ud, BLOCK_HEADER + size);
	if (!b)
		return NULL;
	b->size = size;
	b->used = 0;
	ctx->arena_bytes += BLOCK_HEADER + size;
	return b;
}

/*
 * Allocate size bytes from the arena, aligned to 16, zeroed when zero.
 * Returns NULL and records PMX_E_NOMEM when the host allocator fails.
 */
static void *
arena_alloc(PmxCtx *ctx, size_t size, bool zero)
{
	PmxArenaBlock *b = ctx->blocks;
	size_t		rounded;
	char	   *p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - PMX_ALIGN)
	{
		pmx_error_nomem(ctx);
		return NULL;
	}
	rounded = (size + PMX_ALIGN - 1) & ~(size_t) (PMX_ALIGN - 1);

	if (rounded > PMX_BLOCK_SIZE / 4)
	{
		/* big request: its own block, linked behind the current one */
		PmxArenaBlock *big = arena_new_block(ctx, rounded);

		if (!big)
		{
			pmx_error_nomem(ctx);
			return NULL;
		}
		big->used = rounded;	/* the rest of a rounded-up block stays unused */
		if (b)
		{
			big->next = b->next;
			b->next = big;
		}
		else
		{
			big->next = NULL;
			ctx->blocks = big;
		}
		p = (char *) big + BLOCK_HEADER;
		if (zero)
			memset(p, 0, rounded);
		return p;
	}
	if (!b || b->size - b->used < rounded)
	{
		/*
		 * Blocks grow with the arena (half of what it holds, rounded to a
		 * power of two, up to PMX_BLOCK_MAX): a big schema takes a few
		 * large blocks, which a pool can keep for the next call.
		 */
		size_t		grow = ctx->arena_bytes / 2;

		b = arena_new_block(ctx, grow < PMX_BLOCK_SIZE ? PMX_BLOCK_SIZE :
							grow > PMX_BLOCK_MAX ? PMX_BLOCK_MAX : grow);
		if (!b)
		{
			pmx_error_nomem(ctx);
			return NULL;
		}
		b->next = ctx->blocks;
		ctx->blocks = b;
	}
	p = (char *) b + BLOCK_HEADER + b->used;
	b->used += rounded;
	if (zero)
		memset(p, 0, rounded);
	ctx->last = p;
	ctx->last_size = rounded;
	return p;
}

/* size zeroed bytes from the arena; NULL (PMX_E_NOMEM recorded) on OOM. */
void *
pmx_alloc(PmxCtx *ctx, size_t size)
{
	return arena_alloc(ctx, size, true);
}

/* As pmx_alloc, not zeroed: for memory the caller fills at once. */
void *
pmx_alloc_raw(PmxCtx *ctx, size_t size)
{
	return arena_alloc(ctx, size, false);
}

/*
 * Resize an arena allocation of old_size bytes (NULL: none) to new_size,
 * keeping its first min(old_size, new_size) bytes; the rest zeroed when zero.
 * When old is the newest allocation of the current block and the block
 * has room, it grows in place (an array or buffer growing alone leaves no
 * garbage behind); otherwise a new allocation is made and old abandoned.
 * NULL and PMX_E_NOMEM on OOM.
 */
static void *
realloc_impl(PmxCtx *ctx, void *old, size_t old_size, size_t new_size, bool zero)
{
	void	   *p;

	if (old && old == ctx->last)
	{
		PmxArenaBlock *b = ctx->blocks;
		size_t		rounded = (new_size + PMX_ALIGN - 1) & ~(size_t) (PMX_ALIGN - 1);

		if (rounded <= ctx->last_size)
			return old;
		if (b->size - b->used >= rounded - ctx->last_size)
		{
			if (zero)
				memset(ctx->last + ctx->last_size, 0, rounded - ctx->last_size);
			b->used += rounded - ctx->last_size;
			ctx->last_size = rounded;
			return old;
		}
	}
	if (!(p = arena_alloc(ctx, new_size, zero)))
		return NULL;
	if (old)
		memcpy(p, old, old_size < new_size ? old_size : new_size);
	return p;
}

/* See realloc_impl: the new part zeroed. */
void *
pmx_realloc(PmxCtx *ctx, void *old, size_t old_size, size_t new_size)
{
	return realloc_impl(ctx, old, old_size, new_size, true);
}

/* See realloc_impl: the new part not zeroed (a buffer the caller fills). */
void *
pmx_realloc_raw(PmxCtx *ctx, void *old, size_t old_size, size_t new_size)
{
	return realloc_impl(ctx, old, old_size, new_size, false);
}

/* Copy a string into the arena.  NULL in gives NULL out (no error). */
char *
pmx_strdup(PmxCtx *ctx, const char *s)
{
	if (!s)
		return NULL;
	return pmx_strndup(ctx, s, strlen(s));
}

/* Copy n bytes of s and a NUL into the arena; NULL on OOM. */
char *
pmx_strndup(PmxCtx *ctx, const char *s, size_t n)
{
	char	   *p = pmx_alloc_raw(ctx, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* printf into the arena; NULL on OOM. */
char *
pmx_vsprintf(PmxCtx *ctx, const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;
	char	   *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
	{
		pmx_error(ctx, PMX_E_INTERNAL, "bad format string");
		return NULL;
	}
	p = pmx_alloc_raw(ctx, (size_t) n + 1);
	if (!p)
		return NULL;
	vsnprintf(p, (size_t) n + 1, fmt, ap);
	return p;
}

/* printf into the arena; NULL on OOM. */
char *
pmx_sprintf(PmxCtx *ctx, const char *fmt,...)
{
	va_list		ap;
	char	   *p;

	va_start(ap, fmt);
	p = pmx_vsprintf(ctx, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * Return an array of new_cap elements of elem_size holding the first n
 * elements of old.  The old array is abandoned in the arena.  NULL on OOM
 * or overflow.
 */
void *
pmx_grow(PmxCtx *ctx, void *old, size_t n, size_t new_cap, size_t elem_size)
{
	if (new_cap && elem_size > SIZE_MAX / new_cap)
	{
		pmx_error_nomem(ctx);
		return NULL;
	}
	/* old holds at least n elements: extending keeps them */
	return pmx_realloc(ctx, old, n * elem_size, new_cap * elem_size);
}
