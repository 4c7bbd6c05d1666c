/*
 * Random mmap (MAP_FIXED), munmap, mprotect and writes over a window of
 * 48 pages, checked after every step against a shadow model kept by the
 * test: which pages are mapped, with which rights, holding which byte.
 * The kernel's regions must be exactly the model's runs of pages with
 * the same rights (split where they differ, merged where they do not),
 * and every readable page must hold the model's byte.
 */
// test-timeout: 120
#include "lib/string.h"
#include "mmap_check.h"

#define WINDOW 48
#define STEPS 3000
#define BASE ((char *)0x70000000)

struct page_model {
	bool mapped;
	int prot; /* PROT_NONE, PROT_READ or PROT_READ | PROT_WRITE */
	char byte;
};

static struct page_model model[WINDOW];
static uint32_t seed = 12345;

static uint32_t random_below(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

static int random_prot(void)
{
	static const int prots[] = {PROT_NONE, PROT_READ,
	                            PROT_READ | PROT_WRITE};

	return prots[random_below(3)];
}

static uint32_t rights_of(int prot)
{
	return (prot & PROT_READ ? PAGEINFO_READ : 0) |
	       (prot & PROT_WRITE ? PAGEINFO_WRITE : 0);
}

static void check_model(int step)
{
	static struct region_info all[8 + MMAP_MAX];
	int n = regions(0, all, 8 + MMAP_MAX), at = 0;

	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		const struct region_info *r = &all[i];
		if (r->kind < REGION_KIND_ANON)
			continue;
		/* The model's next run of mapped pages with equal rights. */
		while (at < WINDOW && !model[at].mapped)
			at++;
		int end = at;
		while (end < WINDOW && model[end].mapped &&
		       model[end].prot == model[at].prot)
			end++;
		if (at == WINDOW ||
		    r->start != (uint32_t)(BASE + at * PAGE_SIZE) ||
		    r->end != (uint32_t)(BASE + end * PAGE_SIZE) ||
		    r->rights != rights_of(model[at].prot))
			check_fail(__FILE__, __LINE__,
			           "step %d: region %08x-%08x rights %x, the "
			           "model's run is pages %d-%d",
			           step, (unsigned)r->start, (unsigned)r->end,
			           (unsigned)r->rights, at, end);
		at = end;
	}
	while (at < WINDOW && !model[at].mapped)
		at++;
	if (at != WINDOW)
		check_fail(__FILE__, __LINE__,
		           "step %d: page %d is mapped in the model, in no "
		           "region",
		           step, at);
	for (int p = 0; p < WINDOW; p++) {
		if (model[p].mapped && model[p].prot != PROT_NONE &&
		    BASE[p * PAGE_SIZE + 100] != model[p].byte)
			check_fail(__FILE__, __LINE__,
			           "step %d: page %d holds %d, the model %d",
			           step, p, BASE[p * PAGE_SIZE + 100],
			           model[p].byte);
	}
}

static void step(int i)
{
	uint32_t first = random_below(WINDOW);
	uint32_t count =
	        1 + random_below(WINDOW - first < 6 ? WINDOW - first : 6);
	char *at = BASE + first * PAGE_SIZE;
	size_t len = count * PAGE_SIZE;
	int prot = random_prot();
	bool all_mapped = true;

	for (uint32_t p = first; p < first + count; p++)
		all_mapped &= model[p].mapped;
	switch (random_below(4)) {
	case 0:
		CHECK(mmap(at, len, prot,
		           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		           0) == at);
		for (uint32_t p = first; p < first + count; p++)
			model[p] = (struct page_model){true, prot, 0};
		break;
	case 1:
		CHECK_ERR(munmap(at, len), 0);
		for (uint32_t p = first; p < first + count; p++)
			model[p].mapped = false;
		break;
	case 2:
		if (!all_mapped) {
			CHECK_ERR(sys_mprotect(at, len, prot), -ENOMEM);
			break;
		}
		CHECK_ERR(mprotect(at, len, prot), 0);
		for (uint32_t p = first; p < first + count; p++)
			model[p].prot = prot;
		break;
	default:
		for (uint32_t p = first; p < first + count; p++) {
			if (model[p].mapped && model[p].prot & PROT_WRITE) {
				model[p].byte = (char)(i + p);
				BASE[p * PAGE_SIZE + 100] = model[p].byte;
			}
		}
	}
	check_model(i);
}

int main(void)
{
	struct meminfo before, after;

	/* The test's own stack and data pages get their frames first. */
	step(0);
	CHECK_ERR(munmap(BASE, WINDOW * PAGE_SIZE), 0);
	memset(model, 0, sizeof(model));
	check_model(0);
	CHECK_EQ(meminfo(&before), 0);
	for (int i = 1; i < STEPS; i++)
		step(i);
	CHECK_ERR(munmap(BASE, WINDOW * PAGE_SIZE), 0);
	CHECK_EQ(mapping_count(), 0);
	CHECK_EQ(meminfo(&after), 0);
	CHECK_EQ(after.user_frames, before.user_frames);
	return 0;
}
