/* <assert.h>: assert(cond) prints the condition, file, line and function
 * on stderr and calls abort() when cond is false; nothing under NDEBUG.
 * No include guard: NDEBUG may change between two includes. */
#undef assert
#ifdef NDEBUG
#define assert(cond) ((void)0)
#else
#define assert(cond)                                                           \
	((cond) ? (void)0 : __assert_fail(#cond, __FILE__, __LINE__, __func__))
#endif

#ifndef _MEMOS_ASSERT_H
#define _MEMOS_ASSERT_H
#define static_assert _Static_assert
_Noreturn void __assert_fail(const char *cond, const char *file, int line,
                             const char *func);
#endif
