/*
 * test_slab.c - unit tests and a shadow-model random test of mm/slab.c on
 * the host (cmocka, ASan+UBSan), with the host's page hooks and its
 * slab_report_misuse().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/slab.h"

/* ---- The host environment: page hooks and the misuse recorder ------------ */

/* Pages from the C library, aligned to their size as the hook contract
 * says. Counts calls; can be told to fail or to break the alignment. */
struct host_pages {
	unsigned long gets, puts;
	long pages_out; /* pages handed out and not given back */
	long gets_left; /* successful gets allowed; -1: unlimited */
	bool misalign;  /* the next get returns memory off its alignment */
	void *misaligned_mem; /* what that get really allocated */
};

static void *host_pages_get(void *ctx, size_t pages)
{
	struct host_pages *hp = ctx;
	size_t bytes = pages * SLAB_PAGE_SIZE;
	uint8_t *mem;

	if (hp->gets_left == 0)
		return NULL;
	if (hp->gets_left > 0)
		hp->gets_left--;
	mem = aligned_alloc(bytes, 2 * bytes);
	if (!mem)
		return NULL;
	/* Garbage, so that nothing relies on fresh pages being zero. */
	memset(mem, 0xa5, 2 * bytes);
	hp->gets++;
	hp->pages_out += (long)pages;
	if (hp->misalign) {
		hp->misalign = false;
		hp->misaligned_mem = mem;
		return mem + 64;
	}
	return mem;
}

static void host_pages_put(void *ctx, void *mem, size_t pages)
{
	struct host_pages *hp = ctx;

	hp->puts++;
	hp->pages_out -= (long)pages;
	if (hp->misaligned_mem &&
	    (uint8_t *)mem == (uint8_t *)hp->misaligned_mem + 64)
		mem = hp->misaligned_mem;
	free(mem);
}

struct host_misuse {
	unsigned count;
	enum slab_misuse kind;
	const void *ptr;
	struct slab_cache *cache;
	char message[256];
};

static struct host_misuse misuse_last;
static jmp_buf *misuse_jump;

void slab_report_misuse(struct slab_cache *cache, enum slab_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	misuse_last.count++;
	misuse_last.kind = kind;
	misuse_last.ptr = ptr;
	misuse_last.cache = cache;
	snprintf(misuse_last.message, sizeof(misuse_last.message),
	         "slab: %s in %s(%s, %p): %s", slab_misuse_name(kind), op,
	         cache->name, ptr, detail);
	if (misuse_jump)
		longjmp(*misuse_jump, 1);
	fprintf(stderr, "%s\n", misuse_last.message);
	abort();
}

/* Runs STMT (one call into the allocator) expecting a misuse report of
 * KIND: true if exactly that was reported. */
#define EXPECT_MISUSE(kind_, stmt)                                             \
	({                                                                     \
		jmp_buf jb_;                                                   \
		volatile bool reported_ = false;                               \
		unsigned before_ = misuse_last.count;                          \
		misuse_jump = &jb_;                                            \
		if (setjmp(jb_) == 0) {                                        \
			stmt;                                                  \
		} else {                                                       \
			reported_ = misuse_last.count > before_ &&             \
			            misuse_last.kind == (kind_);               \
		}                                                              \
		misuse_jump = NULL;                                            \
		reported_;                                                     \
	})

/* ---- Helpers ------------------------------------------------------------- */

static struct host_pages pages;

static void open_cache(struct slab_cache *cache, const char *name, size_t size,
                       size_t align, slab_ctor_fn ctor, unsigned reserve)
{
	struct slab_config config = {
	        .name = name,
	        .size = size,
	        .align = align,
	        .ctor = ctor,
	        .get = host_pages_get,
	        .put = host_pages_put,
	        .pages_ctx = &pages,
	        .reserve = reserve,
	        .no_magazine = true, /* test_magazine tests it */
	};

	assert_int_equal(slab_cache_init(cache, &config), 0);
}

static void assert_cache_ok(const struct slab_cache *cache)
{
	char msg[256];

	if (slab_cache_check(cache, msg, sizeof(msg)))
		fail_msg("slab_cache_check(%s): %s", cache->name, msg);
}

static struct slab_stats stats_of(const struct slab_cache *cache)
{
	struct slab_stats st;

	slab_cache_get_stats(cache, &st);
	return st;
}

/* Whether the running test got to its end (a failed assertion leaves its
 * pages out: not a second failure to report). */
static bool test_completed;

static int setup(void **state)
{
	(void)state;
	test_completed = false;
	memset(&pages, 0, sizeof(pages));
	pages.gets_left = -1;
	memset(&misuse_last, 0, sizeof(misuse_last));
	return 0;
}

/* Every page given back: what every test that ends ends with. */
static int teardown(void **state)
{
	(void)state;
	if (test_completed &&
	    (pages.pages_out != 0 || pages.gets != pages.puts))
		fail_msg("%ld pages not given back (%lu gets, %lu puts)",
		         pages.pages_out, pages.gets, pages.puts);
	return 0;
}

/* ---- Creating a cache ---------------------------------------------------- */

static void test_init_rejects_bad_config(void **state)
{
	struct slab_cache cache;
	struct slab_config good = {
	        .name = "t",
	        .size = 32,
	        .get = host_pages_get,
	        .put = host_pages_put,
	        .pages_ctx = &pages,
	};
	struct slab_config c;

	(void)state;
	c = good;
	assert_int_equal(slab_cache_init(&cache, &c), 0);
	c = good;
	c.get = NULL;
	assert_int_equal(slab_cache_init(&cache, &c), -SLAB_EINVAL);
	c = good;
	c.put = NULL;
	assert_int_equal(slab_cache_init(&cache, &c), -SLAB_EINVAL);
	c = good;
	c.size = 0;
	assert_int_equal(slab_cache_init(&cache, &c), -SLAB_EINVAL);
	c = good;
	c.align = 24;
	assert_int_equal(slab_cache_init(&cache, &c), -SLAB_EINVAL);
	c = good;
	c.align = 2 * SLAB_PAGE_SIZE;
	assert_int_equal(slab_cache_init(&cache, &c), -SLAB_EINVAL);
	/* The biggest slab holds no object of its own size: its header
	 * takes some of it. */
	c = good;
	c.size = SLAB_MAX_PAGES * SLAB_PAGE_SIZE;
	assert_int_equal(slab_cache_init(&cache, &c), -SLAB_EINVAL);
	c.size = SLAB_MAX_PAGES * SLAB_PAGE_SIZE / 2;
	assert_int_equal(slab_cache_init(&cache, &c), 0);
	assert_int_equal(pages.gets, 0); /* init takes no page */
}

/* The slab size: several objects per slab, little waste. */
static void test_slab_size_choice(void **state)
{
	static const size_t sizes[] = {1, 8, 24, 100, 500, 1000, 3000, 6000};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct slab_cache cache;
		struct slab_stats st;
		size_t bytes;

		open_cache(&cache, "size", sizes[i], 0, NULL, 0);
		st = stats_of(&cache);
		bytes = st.pages_per_slab * SLAB_PAGE_SIZE;
		/* Several objects per slab, all inside it. */
		assert_true(st.objects_per_slab >= 8);
		assert_true(st.objects_per_slab * st.stride <= bytes);
		/* Small objects: one page; bigger ones: a few, with at most
		 * an eighth of the slab unused past the header (at most 64
		 * bytes and next_free, 2 bytes an object) and the objects. */
		if (sizes[i] <= 100)
			assert_int_equal(st.pages_per_slab, 1);
		else
			assert_true(bytes - st.objects_per_slab * st.stride <=
			            bytes / 8 + 64 + 2 * st.objects_per_slab);
		assert_int_equal(slab_cache_destroy(&cache), 0);
	}
}

/* ---- Alloc and free ------------------------------------------------------ */

static void test_alloc_free_reuse(void **state)
{
	struct slab_cache cache;
	uint8_t *a, *b, *c;

	(void)state;
	open_cache(&cache, "reuse", 40, 0, NULL, 0);
	a = slab_alloc(&cache);
	b = slab_alloc(&cache);
	c = slab_alloc(&cache);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a != b && b != c && a != c);
	/* 40 bytes each, no overlap: the objects of one slab in a row. */
	assert_true(b >= a + 40 || a >= b + 40);
	memset(a, 1, 40);
	memset(b, 2, 40);
	memset(c, 3, 40);
	assert_int_equal(pages.gets, 1);
	assert_int_equal(stats_of(&cache).objects_in_use, 3);

	/* The last freed is the first reused. */
	slab_free(&cache, b);
	assert_ptr_equal(slab_alloc(&cache), b);
	slab_free(&cache, a);
	slab_free(&cache, c);
	assert_ptr_equal(slab_alloc(&cache), c);
	assert_ptr_equal(slab_alloc(&cache), a);
	assert_int_equal(pages.gets, 1);
	slab_free(&cache, NULL); /* does nothing */
	slab_free(&cache, a);
	slab_free(&cache, b);
	slab_free(&cache, c);
	assert_cache_ok(&cache);
	assert_int_equal(stats_of(&cache).objects_in_use, 0);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

static void test_alignment(void **state)
{
	static const size_t aligns[] = {0, 4, 8, 16, 64, 256, 4096};
	static const size_t sizes[] = {1, 24, 100, 3000};
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			size_t align = aligns[i] ? aligns[i] : sizeof(void *);
			struct slab_cache cache;
			void *obj[100];

			open_cache(&cache, "align", sizes[j], aligns[i], NULL,
			           0);
			/* Several slabs, so that each colour is seen. */
			for (k = 0; k < 100; k++) {
				obj[k] = slab_alloc(&cache);
				assert_non_null(obj[k]);
				assert_int_equal((uintptr_t)obj[k] % align, 0);
				memset(obj[k], 0x5a, sizes[j]);
			}
			assert_cache_ok(&cache);
			for (k = 0; k < 100; k++)
				slab_free(&cache, obj[k]);
			assert_int_equal(slab_cache_destroy(&cache), 0);
		}
	}
}

/* Consecutive slabs put their first object at different offsets. */
static void test_colouring(void **state)
{
	struct slab_cache cache;
	struct slab_stats st;
	uintptr_t first[3];
	void *obj[64 * 3];
	size_t k, n;

	(void)state;
	open_cache(&cache, "colour", 200, 16, NULL, 0);
	st = stats_of(&cache);
	n = st.objects_per_slab;
	assert_true(n * 3 <= 64 * 3);
	for (k = 0; k < n * 3; k++)
		obj[k] = slab_alloc(&cache);
	for (k = 0; k < 3; k++)
		first[k] = (uintptr_t)obj[k * n] % SLAB_PAGE_SIZE;
	assert_true(first[0] != first[1] && first[1] != first[2]);
	for (k = 0; k < n * 3; k++)
		slab_free(&cache, obj[k]);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* ---- The constructor ----------------------------------------------------- */

struct thing {
	uint32_t magic;
	uint32_t serial;
	char text[24];
};

static unsigned ctor_calls;

static void construct_thing(void *obj)
{
	struct thing *t = obj;

	t->magic = 0x7417;
	t->serial = ctor_calls++;
	strcpy(t->text, "constructed");
}

static void test_constructor_once_per_object(void **state)
{
	struct slab_cache cache;
	struct thing *obj[200];
	unsigned per_slab;
	size_t k;

	(void)state;
	ctor_calls = 0;
	open_cache(&cache, "thing", sizeof(struct thing), 0, construct_thing,
	           0);
	per_slab = stats_of(&cache).objects_per_slab;
	assert_int_equal(ctor_calls, 0);
	obj[0] = slab_alloc(&cache);
	/* The whole slab is constructed when it is made. */
	assert_int_equal(ctor_calls, per_slab);
	assert_int_equal(obj[0]->magic, 0x7417);
	slab_free(&cache, obj[0]);
	for (k = 0; k < 200; k++) {
		obj[k] = slab_alloc(&cache);
		assert_int_equal(obj[k]->magic, 0x7417);
		assert_string_equal(obj[k]->text, "constructed");
	}
	assert_int_equal(ctor_calls, pages.gets * per_slab);
	/* Freed objects come back in their constructed state, and no
	 * constructor runs again: serials stay as they were. */
	for (k = 0; k < 200; k++)
		slab_free(&cache, obj[k]);
	for (k = 0; k < 200; k++) {
		struct thing *t = slab_alloc(&cache);

		assert_int_equal(t->magic, 0x7417);
		assert_string_equal(t->text, "constructed");
		assert_true(t->serial < ctor_calls);
		obj[k] = t;
	}
	assert_int_equal(ctor_calls, pages.gets * per_slab);
	for (k = 0; k < 200; k++)
		slab_free(&cache, obj[k]);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* The destructor undoes the constructor once per object, when its slab's
 * pages go back: not at slab_free, where the object stays constructed. */
static unsigned dtor_calls;

static void destroy_thing(void *obj)
{
	struct thing *t = obj;

	assert_int_equal(t->magic, 0x7417); /* constructed, then */
	t->magic = 0;
	dtor_calls++;
}

static void test_destructor_when_pages_go_back(void **state)
{
	struct slab_cache cache;
	struct thing *obj[200];
	struct slab_config config = {
	        .name = "thing",
	        .size = sizeof(struct thing),
	        .ctor = construct_thing,
	        .dtor = destroy_thing,
	        .get = host_pages_get,
	        .put = host_pages_put,
	        .pages_ctx = &pages,
	        .no_magazine = true,
	};
	size_t k;

	(void)state;
	ctor_calls = dtor_calls = 0;
	assert_int_equal(slab_cache_init(&cache, &config), 0);
	unsigned per_slab = stats_of(&cache).objects_per_slab;
	for (k = 0; k < 200; k++)
		obj[k] = slab_alloc(&cache);
	for (k = 0; k < 200; k++)
		slab_free(&cache, obj[k]);
	assert_int_equal(dtor_calls, 0);
	size_t slabs = stats_of(&cache).pages / stats_of(&cache).pages_per_slab;
	assert_true(slabs >= 2);
	/* Reclaim gives every empty slab back: each object destroyed. */
	size_t given = slab_cache_reclaim(&cache);
	assert_int_equal(given, slabs * stats_of(&cache).pages_per_slab);
	assert_int_equal(dtor_calls, slabs * per_slab);
	assert_int_equal(dtor_calls, ctor_calls);
	/* And destroy, for the slabs made since. */
	obj[0] = slab_alloc(&cache);
	slab_free(&cache, obj[0]);
	assert_int_equal(slab_cache_destroy(&cache), 0);
	assert_int_equal(dtor_calls, ctor_calls);

	/* A destructor with nothing to undo is refused. */
	config.ctor = NULL;
	assert_int_equal(slab_cache_init(&cache, &config), -SLAB_EINVAL);
}

/* ---- The three lists, the reserve, reclaim ------------------------------- */

static void assert_lists(const struct slab_cache *cache, size_t full,
                         size_t partial, size_t empty)
{
	struct slab_stats st = stats_of(cache);

	assert_int_equal(st.slabs_full, full);
	assert_int_equal(st.slabs_partial, partial);
	assert_int_equal(st.slabs_empty, empty);
	assert_cache_ok(cache);
}

/* The stats count the current slab (on no list) by its use count too. */
static void test_slabs_move_between_lists(void **state)
{
	struct slab_cache cache;
	void *obj[3 * 512];
	unsigned n, k;

	(void)state;
	open_cache(&cache, "lists", 64, 0, NULL, 1);
	n = stats_of(&cache).objects_per_slab;
	assert_true(3 * n <= 3 * 512);
	assert_lists(&cache, 0, 0, 0);
	obj[0] = slab_alloc(&cache);
	assert_ptr_not_equal(cache.current, NULL);
	assert_lists(&cache, 0, 1, 0);
	for (k = 1; k < n; k++)
		obj[k] = slab_alloc(&cache);
	assert_lists(&cache, 1, 0, 0);
	obj[n] = slab_alloc(&cache); /* a second slab becomes current */
	if (cache.full.count != 1)
		fail_msg("the current slab was full and a new one became "
		         "current, but the full list holds %zu slabs: the full "
		         "one must go on the full list",
		         cache.full.count);
	assert_lists(&cache, 1, 1, 0);
	/* A free into the full slab makes it partial. */
	slab_free(&cache, obj[3]);
	if (cache.full.count != 0 || cache.partial.count != 1)
		fail_msg("a full slab that had an object freed is on the full "
		         "list (%zu full, %zu partial): it must move to the "
		         "partial list",
		         cache.full.count, cache.partial.count);
	assert_lists(&cache, 0, 2, 0);
	/* Allocations come from the current slab while it has room... */
	for (k = n + 1; k < 2 * n; k++)
		obj[k] = slab_alloc(&cache);
	assert_int_equal(pages.gets, 2);
	assert_lists(&cache, 1, 1, 0);
	/* ... then from a partial slab before a new one is made. */
	obj[2 * n] = slab_alloc(&cache);
	assert_ptr_equal(obj[2 * n], obj[3]);
	assert_int_equal(pages.gets, 2);
	assert_lists(&cache, 2, 0, 0);
	obj[3] = obj[2 * n];
	/* The current slab stays current when it empties: no list moves
	 * on the fast path. */
	for (k = 0; k < n; k++)
		slab_free(&cache, obj[k]);
	assert_lists(&cache, 1, 0, 1);
	assert_int_equal(pages.puts, 0);
	/* A non-current slab that empties goes to the empty list, which
	 * keeps the reserve (1) beyond the current slab. */
	for (k = n; k < 2 * n; k++)
		slab_free(&cache, obj[k]);
	assert_lists(&cache, 0, 0, 2);
	assert_int_equal(cache.empty.count, 1);
	assert_int_equal(pages.puts, 0);
	/* The empty slab is used before a new one is made. */
	for (k = 0; k < 2 * n; k++)
		obj[k] = slab_alloc(&cache);
	assert_int_equal(pages.gets, 2);
	assert_lists(&cache, 2, 0, 0);
	for (k = 0; k < 2 * n; k++)
		slab_free(&cache, obj[k]);
	assert_int_equal(slab_cache_destroy(&cache), 0);
	assert_int_equal(pages.puts, 2);
}

/* Fills `slabs` slabs, frees everything, returns the cache's objects. */
static void fill_and_free(struct slab_cache *cache, unsigned slabs)
{
	unsigned n = stats_of(cache).objects_per_slab, k;
	void **obj = calloc((size_t)slabs * n, sizeof(void *));

	assert_non_null(obj);
	for (k = 0; k < slabs * n; k++)
		assert_non_null(obj[k] = slab_alloc(cache));
	assert_int_equal(stats_of(cache).slabs_full, slabs);
	for (k = 0; k < slabs * n; k++)
		slab_free(cache, obj[k]);
	free(obj);
}

static void test_empty_slabs_beyond_reserve_go_back(void **state)
{
	struct slab_cache cache;
	size_t per_slab_pages;

	(void)state;
	open_cache(&cache, "reserve", 3000, 0, NULL, 2);
	per_slab_pages = stats_of(&cache).pages_per_slab;
	assert_true(per_slab_pages > 1);
	fill_and_free(&cache, 5);
	assert_int_equal(pages.gets, 5);
	/* Kept: the reserve (2) and the current slab. */
	if (pages.puts != 2)
		fail_msg(
		        "5 slabs emptied, reserve 2: %lu went back to the page "
		        "hook, expected 2 (an empty slab beyond the reserve "
		        "must go back: else it leaks)",
		        pages.puts);
	assert_lists(&cache, 0, 0, 3);
	assert_int_equal(cache.empty.count, 2);
	assert_int_equal(pages.pages_out, 3 * (long)per_slab_pages);
	/* They serve the next allocations without the hook. */
	fill_and_free(&cache, 3);
	assert_int_equal(pages.gets, 5);
	assert_int_equal(stats_of(&cache).slabs_made, 5);
	assert_int_equal(stats_of(&cache).slabs_freed, 2);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

static void test_reclaim_gives_every_empty_slab_back(void **state)
{
	struct slab_cache cache;
	void *keep;
	size_t per_slab_pages;

	(void)state;
	open_cache(&cache, "reclaim", 500, 0, NULL, 3);
	per_slab_pages = stats_of(&cache).pages_per_slab;
	fill_and_free(&cache, 6);
	assert_lists(&cache, 0, 0, 4); /* the reserve and the current slab */
	keep = slab_alloc(&cache);     /* the current slab: partial */
	assert_lists(&cache, 0, 1, 3);
	assert_int_equal(slab_cache_reclaim(&cache), 3 * per_slab_pages);
	assert_lists(&cache, 0, 1, 0);
	assert_int_equal(pages.pages_out, (long)per_slab_pages);
	assert_int_equal(slab_cache_reclaim(&cache), 0);
	/* A busy cache cannot be destroyed, and stays usable. */
	assert_int_equal(slab_cache_destroy(&cache), -SLAB_EBUSY);
	assert_cache_ok(&cache);
	slab_free(&cache, keep);
	assert_int_equal(slab_cache_reclaim(&cache), per_slab_pages);
	assert_int_equal(pages.pages_out, 0);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* ---- The page hook failing ----------------------------------------------- */

static void test_get_hook_failure(void **state)
{
	struct slab_cache cache;
	unsigned n, k;
	void *obj[600];

	(void)state;
	open_cache(&cache, "fail", 32, 0, NULL, 0);
	n = stats_of(&cache).objects_per_slab;
	assert_true(n < 600);
	pages.gets_left = 1;
	for (k = 0; k < n; k++)
		assert_non_null(obj[k] = slab_alloc(&cache));
	assert_null(slab_alloc(&cache));
	assert_cache_ok(&cache);
	assert_int_equal(stats_of(&cache).objects_in_use, n);
	/* Memory off its alignment breaks the contract: given back. */
	pages.gets_left = -1;
	pages.misalign = true;
	assert_null(slab_alloc(&cache));
	assert_int_equal(pages.gets, 2);
	assert_int_equal(pages.puts, 1);
	assert_non_null(obj[n] = slab_alloc(&cache));
	for (k = 0; k <= n; k++)
		slab_free(&cache, obj[k]);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* ---- Misuse -------------------------------------------------------------- */

static void test_double_free_reported(void **state)
{
	struct slab_cache cache;
	void *a, *b, *c;

	(void)state;
	open_cache(&cache, "dbl", 48, 0, NULL, 0);
	a = slab_alloc(&cache);
	b = slab_alloc(&cache);
	slab_free(&cache, a);
	assert_true(
	        EXPECT_MISUSE(SLAB_MISUSE_DOUBLE_FREE, slab_free(&cache, a)));
	assert_ptr_equal(misuse_last.ptr, a);
	assert_non_null(strstr(misuse_last.message, "dbl"));
	/* Nothing changed: the next two allocations are a, then new. */
	assert_cache_ok(&cache);
	assert_int_equal(stats_of(&cache).objects_in_use, 1);
	assert_ptr_equal(slab_alloc(&cache), a);
	c = slab_alloc(&cache);
	assert_ptr_not_equal(c, a);
	slab_free(&cache, a);
	slab_free(&cache, b);
	slab_free(&cache, c);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

static void test_wrong_cache_reported(void **state)
{
	struct slab_cache one, two;
	void *a, *b;

	(void)state;
	open_cache(&one, "one", 64, 0, NULL, 0);
	open_cache(&two, "two", 64, 0, NULL, 0);
	a = slab_alloc(&one);
	b = slab_alloc(&two);
	if (!EXPECT_MISUSE(SLAB_MISUSE_WRONG_CACHE, slab_free(&two, a)))
		fail_msg("slab_free(two, an object of cache one) was not "
		         "reported as a free into the wrong cache: slab_free "
		         "must check that the object's slab belongs to the "
		         "cache");
	assert_ptr_equal(misuse_last.cache, &two);
	assert_int_equal(stats_of(&one).objects_in_use, 1);
	assert_int_equal(stats_of(&two).objects_in_use, 1);
	assert_cache_ok(&one);
	assert_cache_ok(&two);
	slab_free(&one, a);
	slab_free(&two, b);
	assert_int_equal(slab_cache_destroy(&one), 0);
	assert_int_equal(slab_cache_destroy(&two), 0);
}

static void test_wild_pointers_reported(void **state)
{
	static _Alignas(4096) uint8_t not_a_slab[2 * 4096];
	struct slab_cache cache;
	uint8_t *a;

	(void)state;
	open_cache(&cache, "wild", 40, 0, NULL, 0);
	a = slab_alloc(&cache);
	/* Memory no slab lives in. */
	assert_true(EXPECT_MISUSE(SLAB_MISUSE_WILD_POINTER,
	                          slab_free(&cache, not_a_slab + 80)));
	/* Inside a slab, but not where an object starts. */
	assert_true(EXPECT_MISUSE(SLAB_MISUSE_WILD_POINTER,
	                          slab_free(&cache, a + 8)));
	/* The slab's own header. */
	assert_true(EXPECT_MISUSE(
	        SLAB_MISUSE_WILD_POINTER,
	        slab_free(&cache, (void *)((uintptr_t)a & ~(uintptr_t)4095))));
	/* Where object n would be in a slab of n objects (a, the first
	 * object of a fresh slab, is object 0). */
	assert_true(EXPECT_MISUSE(
	        SLAB_MISUSE_WILD_POINTER,
	        slab_free(&cache, a + stats_of(&cache).objects_per_slab * 40)));
	assert_int_equal(stats_of(&cache).objects_in_use, 1);
	assert_cache_ok(&cache);
	slab_free(&cache, a);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* ---- The magazine -------------------------------------------------------- */

/* Freed objects wait in the magazine (their slabs still count them), the
 * next allocations take them back last-in first-out; a second free of a
 * parked object is a double free; reclaim and destroy empty it. */
static void test_magazine(void **state)
{
	struct slab_cache cache;
	struct slab_config config = {
	        .name = "mag",
	        .size = 48,
	        .get = host_pages_get,
	        .put = host_pages_put,
	        .pages_ctx = &pages,
	};
	void *obj[SLAB_MAGAZINE + 1];
	unsigned k;

	(void)state;
	assert_int_equal(slab_cache_init(&cache, &config), 0);
	for (k = 0; k <= SLAB_MAGAZINE; k++)
		obj[k] = slab_alloc(&cache);
	for (k = 0; k <= SLAB_MAGAZINE; k++)
		slab_free(&cache, obj[k]);
	/* SLAB_MAGAZINE parked, the last one back in its slab. */
	assert_int_equal(cache.parked, SLAB_MAGAZINE);
	assert_int_equal(stats_of(&cache).objects_in_use, 0);
	assert_cache_ok(&cache);
	assert_true(EXPECT_MISUSE(SLAB_MISUSE_DOUBLE_FREE,
	                          slab_free(&cache, obj[3])));
	assert_int_equal(cache.parked, SLAB_MAGAZINE);
	/* Last in, first out. */
	assert_ptr_equal(slab_alloc(&cache), obj[SLAB_MAGAZINE - 1]);
	assert_ptr_equal(slab_alloc(&cache), obj[SLAB_MAGAZINE - 2]);
	assert_int_equal(stats_of(&cache).objects_in_use, 2);
	assert_cache_ok(&cache);
	slab_free(&cache, obj[SLAB_MAGAZINE - 1]);
	slab_free(&cache, obj[SLAB_MAGAZINE - 2]);
	/* Reclaim empties the magazine first: every page goes back. */
	assert_int_equal(slab_cache_reclaim(&cache), 1);
	assert_int_equal(cache.parked, 0);
	assert_int_equal(pages.pages_out, 0);
	assert_cache_ok(&cache);
	/* Destroy with parked objects. */
	obj[0] = slab_alloc(&cache);
	slab_free(&cache, obj[0]);
	assert_int_equal(cache.parked, 1);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* ---- The debug option: red zones and poison ------------------------------ */

static void open_debug_cache(struct slab_cache *cache, const char *name,
                             size_t size, slab_ctor_fn ctor)
{
	struct slab_config config = {
	        .name = name,
	        .size = size,
	        .ctor = ctor,
	        .get = host_pages_get,
	        .put = host_pages_put,
	        .pages_ctx = &pages,
	        .debug = true,
	};

	assert_int_equal(slab_cache_init(cache, &config), 0);
}

/* A write one byte past an object is reported when it is freed, with the
 * cache's name and the object's address; the free does nothing. */
static void test_debug_overrun_caught_at_free(void **state)
{
	struct slab_cache cache;
	uint8_t *a;

	(void)state;
	open_debug_cache(&cache, "rz", 40, NULL);
	a = slab_alloc(&cache);
	memset(a, 0, 40); /* the object itself is the caller's */
	slab_free(&cache, a);
	a = slab_alloc(&cache);
	a[40] = 0;
	assert_true(EXPECT_MISUSE(SLAB_MISUSE_OVERRUN, slab_free(&cache, a)));
	assert_ptr_equal(misuse_last.ptr, a);
	assert_non_null(strstr(misuse_last.message, "rz"));
	assert_non_null(strstr(misuse_last.message, "slab_free"));
	assert_int_equal(stats_of(&cache).objects_in_use, 1);
	a[40] = SLAB_REDZONE_BYTE;
	slab_free(&cache, a);
	assert_cache_ok(&cache);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* The same cache without the option misses it: the red zone is what
 * catches the overrun. */
static void test_no_debug_no_redzone(void **state)
{
	struct slab_cache cache;
	uint8_t *a, *b;

	(void)state;
	open_cache(&cache, "plain", 40, 0, NULL, 0);
	a = slab_alloc(&cache);
	b = slab_alloc(&cache);
	assert_ptr_equal(b, a + 40); /* no room between objects */
	slab_free(&cache, a);
	slab_free(&cache, b);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* A write to a freed object is reported when the object is handed out
 * again; that alloc returns NULL and the object stays free. */
static void test_debug_write_after_free_caught_at_alloc(void **state)
{
	struct slab_cache cache;
	uint8_t *a;

	(void)state;
	open_debug_cache(&cache, "uaf", 64, NULL);
	a = slab_alloc(&cache);
	slab_free(&cache, a);
	a[10] = 1; /* through the stale pointer */
	assert_true(EXPECT_MISUSE(SLAB_MISUSE_USE_AFTER_FREE,
	                          (void)slab_alloc(&cache)));
	assert_ptr_equal(misuse_last.ptr, a);
	assert_non_null(strstr(misuse_last.message, "uaf"));
	assert_int_equal(stats_of(&cache).objects_in_use, 0);
	a[10] = SLAB_POISON_BYTE;
	assert_ptr_equal(slab_alloc(&cache), a);
	slab_free(&cache, a);
	/* An overrun of a free object, into its red zone: seen at alloc. */
	a[64] = 0;
	assert_true(
	        EXPECT_MISUSE(SLAB_MISUSE_OVERRUN, (void)slab_alloc(&cache)));
	a[64] = SLAB_REDZONE_BYTE;
	assert_cache_ok(&cache);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

static void set_magic(void *obj)
{
	*(uint32_t *)obj = 0x600dcafe;
}

/* A constructed object keeps its state while free: no poison there, but
 * its red zone still catches an overrun. */
static void test_debug_constructed_objects_not_poisoned(void **state)
{
	struct slab_cache cache;
	uint8_t *a;

	(void)state;
	open_debug_cache(&cache, "ctor", 24, set_magic);
	a = slab_alloc(&cache);
	assert_int_equal(*(uint32_t *)a, 0x600dcafe);
	slab_free(&cache, a);
	assert_ptr_equal(slab_alloc(&cache), a);
	assert_int_equal(*(uint32_t *)a, 0x600dcafe);
	a[24] = 0;
	assert_true(EXPECT_MISUSE(SLAB_MISUSE_OVERRUN, slab_free(&cache, a)));
	a[24] = SLAB_REDZONE_BYTE;
	slab_free(&cache, a);
	assert_int_equal(slab_cache_destroy(&cache), 0);
}

/* The bytes no object can use: everything in the slabs but the objects
 * themselves (padding after each object counts: alignment, red zones). */
static void test_stats_lost_bytes(void **state)
{
	struct slab_cache plain, debug;
	struct slab_stats st;
	void *a, *b;

	(void)state;
	open_cache(&plain, "lost", 20, 16, NULL, 0);
	open_debug_cache(&debug, "lost-debug", 20, NULL);
	assert_int_equal(stats_of(&plain).lost_bytes, 0); /* no slab yet */
	a = slab_alloc(&plain);
	b = slab_alloc(&debug);
	st = stats_of(&plain);
	assert_int_equal(st.stride, 32);
	assert_int_equal(st.pages, 1);
	assert_int_equal(st.lost_bytes, 4096 - st.objects_per_slab * 20);
	/* At least 12 bytes of padding after each of the objects. */
	assert_true(st.lost_bytes >= st.objects_per_slab * 12);
	assert_true(stats_of(&debug).stride >= 20 + SLAB_REDZONE);
	assert_true(stats_of(&debug).lost_bytes >
	            stats_of(&debug).objects_per_slab * SLAB_REDZONE);
	slab_free(&plain, a);
	slab_free(&debug, b);
	/* The empty slab kept as the reserve still counts. */
	assert_int_equal(stats_of(&plain).lost_bytes, st.lost_bytes);
	assert_int_equal(slab_cache_destroy(&plain), 0);
	assert_int_equal(slab_cache_destroy(&debug), 0);
}

/* ---- The shadow model ---------------------------------------------------- */

#define CACHES 5
#define MAX_LIVE 3000
#define STEPS 40000

struct live {
	uint8_t *p;
	unsigned cache;
	unsigned key;
};

static const struct {
	size_t size, align;
} shapes[CACHES] = {{8, 0}, {24, 8}, {100, 32}, {700, 64}, {5000, 0}};

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void fill(uint8_t *p, size_t n, unsigned key)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(key * 31 + i * 7);
}

static bool intact(const uint8_t *p, size_t n, unsigned key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (uint8_t)(key * 31 + i * 7))
			return false;
	return true;
}

static int by_address(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

/* No two live objects overlap (sorts a copy by address). */
static void assert_no_overlap(const struct live *live, size_t n)
{
	static struct live sorted[MAX_LIVE];
	size_t i;

	memcpy(sorted, live, n * sizeof(*live));
	qsort(sorted, n, sizeof(*sorted), by_address);
	for (i = 1; i < n; i++)
		assert_true(sorted[i - 1].p +
		                    shapes[sorted[i - 1].cache].size <=
		            sorted[i].p);
}

static void run_random_against_shadow_model(bool debug)
{
	static struct live live[MAX_LIVE];
	struct slab_cache cache[CACHES];
	size_t n = 0, step, c;
	unsigned key = 0;

	for (c = 0; c < CACHES; c++) {
		struct slab_config config = {
		        .name = "random",
		        .size = shapes[c].size,
		        .align = shapes[c].align,
		        .get = host_pages_get,
		        .put = host_pages_put,
		        .pages_ctx = &pages,
		        .reserve = (unsigned)c % 3,
		        .debug = debug,
		};

		assert_int_equal(slab_cache_init(&cache[c], &config), 0);
	}
	for (step = 0; step < STEPS; step++) {
		/* Waves: mostly allocating, then mostly freeing. */
		bool grow = (step / 5000) % 2 == 0;
		bool do_alloc = n == 0 ||
		                (n < MAX_LIVE && rng() % 4 < (grow ? 3u : 1u));

		if (do_alloc) {
			unsigned ci = rng() % CACHES;
			uint8_t *p = slab_alloc(&cache[ci]);
			size_t align = shapes[ci].align ? shapes[ci].align
			                                : sizeof(void *);

			assert_non_null(p);
			assert_int_equal((uintptr_t)p % align, 0);
			live[n] = (struct live){p, ci, key++};
			fill(p, shapes[ci].size, live[n].key);
			n++;
		} else {
			size_t i = rng() % n;

			assert_true(intact(live[i].p,
			                   shapes[live[i].cache].size,
			                   live[i].key));
			slab_free(&cache[live[i].cache], live[i].p);
			live[i] = live[--n];
		}
		if (step % 1000 == 0) {
			assert_no_overlap(live, n);
			for (c = 0; c < CACHES; c++)
				assert_cache_ok(&cache[c]);
		}
	}
	assert_no_overlap(live, n);
	while (n > 0) {
		n--;
		assert_true(intact(live[n].p, shapes[live[n].cache].size,
		                   live[n].key));
		slab_free(&cache[live[n].cache], live[n].p);
	}
	for (c = 0; c < CACHES; c++) {
		assert_cache_ok(&cache[c]);
		assert_int_equal(stats_of(&cache[c]).objects_in_use, 0);
		/* The reserve, and the current slab. */
		assert_true(stats_of(&cache[c]).slabs_empty <=
		            cache[c].reserve + 1);
		slab_cache_reclaim(&cache[c]);
		assert_int_equal(stats_of(&cache[c]).pages, 0);
		assert_int_equal(slab_cache_destroy(&cache[c]), 0);
	}
	assert_int_equal(pages.pages_out, 0);
}

static void test_random_against_shadow_model(void **state)
{
	(void)state;
	run_random_against_shadow_model(false);
}

/* The same with red zones and poison: no false report, and the same
 * answers. */
static void test_random_debug_against_shadow_model(void **state)
{
	(void)state;
	run_random_against_shadow_model(true);
}

/* Each test runs through run_to_the_end, which notes that it ended. */
struct test_fn {
	void (*fn)(void **state);
};

static void run_to_the_end(void **state)
{
	const struct test_fn *t = *state;

	t->fn(state);
	test_completed = true;
}

#define T(f)                                                                   \
	{                                                                      \
#f, run_to_the_end, setup, teardown, &(struct test_fn)         \
		{                                                              \
			f                                                      \
		}                                                              \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_init_rejects_bad_config),
	        T(test_slab_size_choice),
	        T(test_alloc_free_reuse),
	        T(test_alignment),
	        T(test_colouring),
	        T(test_constructor_once_per_object),
	        T(test_destructor_when_pages_go_back),
	        T(test_slabs_move_between_lists),
	        T(test_empty_slabs_beyond_reserve_go_back),
	        T(test_reclaim_gives_every_empty_slab_back),
	        T(test_get_hook_failure),
	        T(test_double_free_reported),
	        T(test_wrong_cache_reported),
	        T(test_wild_pointers_reported),
	        T(test_magazine),
	        T(test_debug_overrun_caught_at_free),
	        T(test_no_debug_no_redzone),
	        T(test_debug_write_after_free_caught_at_alloc),
	        T(test_debug_constructed_objects_not_poisoned),
	        T(test_stats_lost_bytes),
	        T(test_random_against_shadow_model),
	        T(test_random_debug_against_shadow_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
