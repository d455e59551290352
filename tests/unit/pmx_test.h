/*
 * pmx_test.h -- a minimal test helper for the core's unit tests
 * (tests/unit/test_*.c), in the spirit of sds's in-file tests.
 *
 * TEST(name) { ... } blocks call CHECK(cond); each test prints
 * "PASS name" or "FAIL name: cond (file:line)".  RUN(name) runs one.
 * A context over malloc is provided by test_ctx().
 */
#ifndef PMX_TEST_H
#define PMX_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "premix.h"

static int t_failed_tests = 0;
static int t_current_failed = 0;

#define CHECK(cond) do { if (!(cond)) { \
	if (!t_current_failed) printf("FAIL %s: %s (%s:%d)\n", t_name, #cond, __FILE__, __LINE__); \
	t_current_failed = 1; } } while (0)

#define TEST(name) static void name(const char *t_name)
#define RUN(name) do { t_current_failed = 0; name(#name); \
	if (t_current_failed) t_failed_tests++; else printf("PASS %s\n", #name); } while (0)
#define TEST_DONE() (t_failed_tests ? 1 : 0)

static void *
t_alloc(void *ud, size_t n)
{
	(void) ud;
	return malloc(n);
}

static void
t_free(void *ud, void *p)
{
	(void) ud;
	free(p);
}

/* A fresh context over malloc; free with pmx_ctx_free(). */
static PmxCtx *
test_ctx(void)
{
	PmxAllocator a = {NULL, t_alloc, t_free};

	return pmx_ctx_new(&a);
}

#endif
