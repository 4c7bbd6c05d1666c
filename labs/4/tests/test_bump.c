/* Lab 4, step 1: the bump allocator (labs/4/heap/bump.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "labs/4/heap/bump.h"

static _Alignas(16) unsigned char region[256];

static void step1_bump_hands_out_consecutive_blocks(void **state)
{
	(void)state;
	bump_init(region, sizeof(region));
	unsigned char *a = bump_alloc(16);
	unsigned char *b = bump_alloc(8);
	unsigned char *c = bump_alloc(40);

	assert_ptr_equal(a, region);
	assert_ptr_equal(b, region + 16);
	assert_ptr_equal(c, region + 24);
}

static void step1_bump_rounds_sizes_up(void **state)
{
	(void)state;
	bump_init(region, sizeof(region));
	unsigned char *a = bump_alloc(3);
	unsigned char *b = bump_alloc(1);

	assert_ptr_equal(a, region);
	assert_ptr_equal(b, region + BUMP_ALIGN);
	assert_int_equal((uintptr_t)b % BUMP_ALIGN, 0);
}

static void step1_bump_returns_null_when_full(void **state)
{
	(void)state;
	bump_init(region, sizeof(region));
	assert_non_null(bump_alloc(200));
	assert_null(bump_alloc(64)); /* only 56 bytes are left */
	assert_ptr_equal(bump_alloc(56), region + 200);
	assert_null(bump_alloc(1));
}

static void step1_bump_free_gives_nothing_back(void **state)
{
	(void)state;
	bump_init(region, sizeof(region));
	void *a = bump_alloc(32);

	bump_free(a);
	assert_ptr_equal(bump_alloc(32), region + 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(step1_bump_hands_out_consecutive_blocks),
	        cmocka_unit_test(step1_bump_rounds_sizes_up),
	        cmocka_unit_test(step1_bump_returns_null_when_full),
	        cmocka_unit_test(step1_bump_free_gives_nothing_back),
	};

	return cmocka_run_group_tests_name("lab4-bump", tests, NULL, NULL);
}
