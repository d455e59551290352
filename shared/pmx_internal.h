/*-------------------------------------------------------------------------
 *
 * pmx_internal.h
 *	  Private infrastructure of the core: context, arena, string buffer,
 *	  errors, string map.
 *
 * Ownership rule for the whole core: every pointer returned by a pmx_
 * function lives in the context arena unless its comment says otherwise,
 * and is released by pmx_ctx_free().  Nothing is freed piecemeal.
 *
 * Allocation failure: pmx_alloc() returns NULL and records PMX_E_NOMEM in
 * the context; callers return PMX_ERROR.  PmxBuf remembers failure and
 * reports it at pmx_buf_finish().
 *
 * IDENTIFICATION
 *	  shared/pmx_internal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_INTERNAL_H
#define PMX_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "premix.h"

typedef struct PmxArenaBlock PmxArenaBlock;
struct PmxArenaBlock
{
	PmxArenaBlock *next;
	size_t		size;			/* usable bytes after the header */
	size_t		used;
	/* data follows, aligned */
};

#define PMX_ALIGN 16
#define PMX_BLOCK_HEADER ((sizeof(PmxArenaBlock) + PMX_ALIGN - 1) & ~(size_t) (PMX_ALIGN - 1))
#define PMX_BLOCK_SIZE (64 * 1024)	/* the smallest block (usable bytes) */
#define PMX_BLOCK_MAX (4 * 1024 * 1024) /* the largest pooled block */

/* ---- block pool (pmx_pool.c; the public part is in premix.h) ---- */
/* a block of exactly size usable bytes from pool, or NULL (then allocate) */
PmxArenaBlock *pmx_pool_take(PmxPool *pool, size_t size);
/* give b back: kept, or freed with the pool's allocator */
void		pmx_pool_give(PmxPool *pool, PmxArenaBlock *b);
/* allocate a block of size usable bytes with the pool's allocator */
PmxArenaBlock *pmx_pool_alloc(PmxPool *pool, size_t size);

struct PmxCtx
{
	PmxAllocator alloc;
	PmxArenaBlock *blocks;		/* newest first */
	PmxPool    *pool;			/* where blocks come from and go back, or NULL */
	size_t		arena_bytes;	/* total bytes taken from the allocator */
	char	   *last;			/* the newest allocation in blocks' head, */
	size_t		last_size;		/* and its rounded size: pmx_grow and the
								 * buffers extend it in place */
	PmxError	err;
	PmxPending	pending;		/* cleanup left to the host (pmx_apply.c) */
	char	   *output;			/* a writing call's result, allocated before
								 * its commit (pmx_ctx_keep_output) */
};

/*
 * Keep a copy of a writing entry point's result outside the arena, made
 * BEFORE the commit, so that the host can hand it over without allocating
 * after the migration committed (an out-of-memory error then would report
 * a committed migration as failed).  PMX_ERROR on OOM.
 */
int			pmx_ctx_keep_output(PmxCtx *ctx, const char *s);

/* ---- arena (pmx_ctx.c) ---- */
void	   *pmx_alloc(PmxCtx *ctx, size_t size);	/* zeroed; NULL on OOM */
void	   *pmx_alloc_raw(PmxCtx *ctx, size_t size);	/* not zeroed; NULL on OOM */
char	   *pmx_strdup(PmxCtx *ctx, const char *s); /* NULL in -> NULL out */
char	   *pmx_strndup(PmxCtx *ctx, const char *s, size_t n);
void	   *pmx_realloc(PmxCtx *ctx, void *old, size_t old_size, size_t new_size);
void	   *pmx_realloc_raw(PmxCtx *ctx, void *old, size_t old_size, size_t new_size);
char	   *pmx_sprintf(PmxCtx *ctx, const char *fmt,...) PMX_PRINTF(2, 3);
char	   *pmx_vsprintf(PmxCtx *ctx, const char *fmt, va_list ap);

/*
 * Grow an arena array: returns a new array of new_cap elements holding the
 * first n of old, or NULL on OOM.  The old array stays in the arena.
 */
void	   *pmx_grow(PmxCtx *ctx, void *old, size_t n, size_t new_cap,
					 size_t elem_size);

/* Append one element to (arr, n, cap); evaluates to 0 on OOM. */
#define PMX_PUSH(ctx, arr, n, cap) \
	(((n) < (cap) || ((arr) = pmx_grow((ctx), (arr), (n), \
		(cap) = (cap) ? (cap) * 2 : 8, sizeof(*(arr)))) != NULL) ? ++(n) : 0)

/* ---- errors (pmx_error.c) ---- */
int			pmx_error(PmxCtx *ctx, PmxErrCode code, const char *fmt,...) PMX_PRINTF(3, 4);
int			pmx_error_detail(PmxCtx *ctx, const char *fmt,...) PMX_PRINTF(2, 3);
int			pmx_error_hint(PmxCtx *ctx, const char *fmt,...) PMX_PRINTF(2, 3);
int			pmx_error_nomem(PmxCtx *ctx);
bool		pmx_error_is_set(const PmxCtx *ctx);
void		pmx_error_clear(PmxCtx *ctx);
const char *pmx_error_sqlstate(PmxErrCode code);

/* ---- growable string (pmx_buf.c) ---- */
typedef struct PmxBuf
{
	PmxCtx	   *ctx;
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		failed;
} PmxBuf;

void		pmx_buf_init(PmxBuf *b, PmxCtx *ctx);
void		pmx_buf_append(PmxBuf *b, const char *s);
void		pmx_buf_append_len(PmxBuf *b, const char *s, size_t n);
void		pmx_buf_appendf(PmxBuf *b, const char *fmt,...) PMX_PRINTF(2, 3);
void		pmx_buf_vappendf(PmxBuf *b, const char *fmt, va_list ap);
void		pmx_buf_putc(PmxBuf *b, char c);
char	   *pmx_buf_extend(PmxBuf *b, size_t n);	/* n bytes to fill; NULL on OOM */
void		pmx_buf_reset(PmxBuf *b);
char	   *pmx_buf_finish(PmxBuf *b);	/* NUL-terminated; NULL on OOM */

/* ---- string map (pmx_hash.c): keys are borrowed, not copied ---- */
typedef struct PmxMap
{
	PmxCtx	   *ctx;
	const char **keys;
	void	  **vals;
	size_t		cap;			/* power of two */
	size_t		n;
	bool		fold;			/* ASCII case-insensitive keys */
} PmxMap;

int			pmx_map_init(PmxMap *m, PmxCtx *ctx, size_t expected, bool fold);
int			pmx_map_put(PmxMap *m, const char *key, void *val);	/* replaces */
void	   *pmx_map_get(const PmxMap *m, const char *key);

/* ---- small string helpers (pmx_util.c) ---- */
bool		pmx_streq_fold(const char *a, const char *b);	/* ASCII fold */
/* at most max bytes of s, never splitting a UTF-8 character, "..." if cut */
const char *pmx_clip(PmxCtx *ctx, const char *s, size_t max);
bool		pmx_streq_null(const char *a, const char *b);	/* NULL == NULL */
char	   *pmx_lower(PmxCtx *ctx, const char *s);
char	   *pmx_upper(PmxCtx *ctx, const char *s);
int			pmx_levenshtein(const char *a, const char *b);
double		pmx_name_similarity(const char *a, const char *b);
const char *pmx_nearest(const char *name, const char *const *candidates,
						size_t n, int max_distance);
void		pmx_sha256_hex(const void *data, size_t len, char out[65]);
/* incremental SHA-256: state is opaque storage of PMX_SHA256_STATE bytes */
#define PMX_SHA256_STATE 128
typedef struct PmxSha256
{
	_Alignas(16) unsigned char state[PMX_SHA256_STATE];
} PmxSha256;
void		pmx_sha256_begin(PmxSha256 *h);
void		pmx_sha256_add(PmxSha256 *h, const void *data, size_t len);
void		pmx_sha256_end(PmxSha256 *h, char out[65]);
char	   *pmx_timestamp_version(PmxCtx *ctx);	/* YYYYMMDDHHMMSS, UTC */
char	   *pmx_timestamp_iso(PmxCtx *ctx);	/* YYYY-MM-DDTHH:MM:SSZ */

#endif							/* PMX_INTERNAL_H */
