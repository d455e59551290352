/*
 * fuzz_common.h -- what every premix fuzz target shares: a context over
 * malloc (libFuzzer's leak check sees it) and a failure that aborts with
 * both sides of a broken property, so libFuzzer keeps the input.
 * Define FUZZ_NAME before including.
 */
#ifndef PREMIX_FUZZ_COMMON_H
#define PREMIX_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "premix.h"

/* PmxAllocator.alloc over malloc. */
static void *
fz_alloc(void *ud, size_t n)
{
	(void) ud;
	return malloc(n);
}

/* PmxAllocator.free over free. */
static void
fz_free(void *ud, void *p)
{
	(void) ud;
	free(p);
}

/* A fresh context; abort() if even that fails. */
static PmxCtx *
new_ctx(void)
{
	PmxAllocator a = {NULL, fz_alloc, fz_free};
	PmxCtx	   *ctx = pmx_ctx_new(&a);

	if (!ctx)
		abort();
	return ctx;
}

/* Stop with a message: libFuzzer saves the input as a crash artifact. */
static void
fail(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "%s: %s\n  first:  %s\n  second: %s\n", FUZZ_NAME, what,
			a ? a : "(null)", b ? b : "(null)");
	abort();
}

#endif
