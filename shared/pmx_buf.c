/*-------------------------------------------------------------------------
 *
 * pmx_buf.c
 *	  Growable string buffer in the context arena.
 *
 * Appends never fail loudly: on OOM the buffer is marked failed, further
 * appends are ignored, and pmx_buf_finish() returns NULL.  That keeps SQL
 * and JSON rendering free of per-append checks.
 *
 * IDENTIFICATION
 *	  shared/pmx_buf.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "pmx_internal.h"

/* Start an empty buffer. */
void
pmx_buf_init(PmxBuf *b, PmxCtx *ctx)
{
	b->ctx = ctx;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

/* Make room for extra more bytes plus a NUL; false on OOM. */
static bool
buf_reserve(PmxBuf *b, size_t extra)
{
	size_t		need;
	size_t		cap;
	char	   *p;

	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len)
	{
		b->failed = true;
		pmx_error_nomem(b->ctx);
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = pmx_realloc_raw(b->ctx, b->data, b->cap, cap);
	if (!p)
	{
		b->failed = true;
		return false;
	}
	p[b->len] = '\0';
	b->data = p;
	b->cap = cap;
	return true;
}

/*
 * Make the buffer n bytes longer and return where those n bytes go (the
 * caller fills them; the NUL after them is written).  NULL on OOM.
 */
char *
pmx_buf_extend(PmxBuf *b, size_t n)
{
	char	   *p;

	if (!buf_reserve(b, n))
		return NULL;
	p = b->data + b->len;
	b->len += n;
	b->data[b->len] = '\0';
	return p;
}

/* Append n bytes of s. */
void
pmx_buf_append_len(PmxBuf *b, const char *s, size_t n)
{
	if ((b->len + n >= b->cap || b->failed) && !buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a NUL-terminated string. */
void
pmx_buf_append(PmxBuf *b, const char *s)
{
	pmx_buf_append_len(b, s, strlen(s));
}

/* Append one character. */
void
pmx_buf_putc(PmxBuf *b, char c)
{
	if (b->len + 1 < b->cap && !b->failed)
	{
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	pmx_buf_append_len(b, &c, 1);
}

/* Append printf output. */
void
pmx_buf_vappendf(PmxBuf *b, const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !buf_reserve(b, (size_t) n))
		return;
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	b->len += (size_t) n;
}

/* Append printf output. */
void
pmx_buf_appendf(PmxBuf *b, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	pmx_buf_vappendf(b, fmt, ap);
	va_end(ap);
}

/* Empty the buffer, keeping its memory. */
void
pmx_buf_reset(PmxBuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/*
 * The buffer's text, NUL-terminated ("" when nothing was appended).  NULL
 * when an append ran out of memory (the error is in the context).
 */
char *
pmx_buf_finish(PmxBuf *b)
{
	if (b->failed)
		return NULL;
	if (!b->data && !buf_reserve(b, 0))
		return NULL;
	return b->data;
}
