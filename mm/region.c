/*
 * The region list of a process: a singly linked list in address order. A
 * process has a handful of regions, so a walk is as fast as anything.
 * The regions come from their own slab cache (mm/kslab.h).
 */
#include "mm/region.h"

#include "lib/abi.h"
#include "mm/kslab.h"
#include "mm/layout.h"
#include "mm/paging.h"

static struct slab_cache regions;

void region_init(void)
{
	kslab_cache_create(&regions, "region", sizeof(struct region), 0, NULL);
}

int region_add(struct region_list *list, uintptr_t start, uintptr_t end,
               uint32_t rights, enum region_kind kind,
               const struct region_source *source)
{
	struct region **link = &list->first;
	struct region *before = NULL; /* the last region starting <= start */

	if (PAGE_OFFSET(start) || PAGE_OFFSET(end) || end < start)
		return -EINVAL;
	while (*link && (*link)->start <= start) {
		before = *link;
		link = &(*link)->next;
	}
	if ((before && before->end > start) || (*link && (*link)->start < end))
		return -EEXIST;

	struct region *r = kslab_alloc(&regions);
	if (!r)
		return -ENOMEM;
	*r = (struct region){
	        .start = start,
	        .end = end,
	        .rights = rights,
	        .kind = kind,
	        .next = *link,
	};
	if (source)
		r->source = *source;
	*link = r;
	return 0;
}

struct region *region_find(const struct region_list *list, uintptr_t addr)
{
	for (struct region *r = list->first; r && r->start <= addr;
	     r = r->next) {
		if (addr < r->end)
			return r;
	}
	return NULL;
}

struct region *region_of_kind(const struct region_list *list,
                              enum region_kind kind)
{
	for (struct region *r = list->first; r; r = r->next) {
		if (r->kind == kind)
			return r;
	}
	return NULL;
}

int region_set_end(struct region *r, uintptr_t end)
{
	if (PAGE_OFFSET(end) || end < r->start)
		return -EINVAL;
	if (r->next && end > r->next->start)
		return -EEXIST;
	r->end = end;
	return 0;
}

struct region *region_split(struct region *r, uintptr_t at)
{
	struct region *upper;

	if (PAGE_OFFSET(at) || at <= r->start || at >= r->end)
		return NULL;
	upper = kslab_alloc(&regions);
	if (!upper)
		return NULL;
	*upper = *r;
	upper->start = at;
	r->end = at;
	r->next = upper;
	return upper;
}

void region_remove(struct region_list *list, struct region *r)
{
	struct region **link = &list->first;

	while (*link && *link != r)
		link = &(*link)->next;
	if (*link) {
		*link = r->next;
		kslab_free(&regions, r);
	}
}

static bool same_source(const struct region_source *a,
                        const struct region_source *b)
{
	return a->file == b->file && a->offset == b->offset &&
	       a->size == b->size && a->vaddr == b->vaddr;
}

/* Whether b may be joined to a (b right after it). */
static bool can_merge(const struct region *a, const struct region *b)
{
	return region_is_mapping(a) && a->end == b->start &&
	       a->kind == b->kind && a->rights == b->rights &&
	       same_source(&a->source, &b->source);
}

void region_merge_mappings(struct region_list *list)
{
	struct region *r = list->first;

	while (r && r->next) {
		struct region *next = r->next;
		if (can_merge(r, next)) {
			r->end = next->end;
			r->next = next->next;
			kslab_free(&regions, next);
		} else {
			r = next;
		}
	}
}

uint32_t region_count_mappings(const struct region_list *list)
{
	uint32_t n = 0;

	for (const struct region *r = list->first; r; r = r->next)
		n += region_is_mapping(r);
	return n;
}

int region_list_copy(struct region_list *to, const struct region_list *from)
{
	struct region **tail = &to->first;

	for (const struct region *r = from->first; r; r = r->next) {
		struct region *copy = kslab_alloc(&regions);
		if (!copy) {
			region_list_free(to);
			return -ENOMEM;
		}
		*copy = *r;
		copy->next = NULL;
		*tail = copy;
		tail = &copy->next;
	}
	return 0;
}

void region_list_free(struct region_list *list)
{
	struct region *r = list->first;

	while (r) {
		struct region *next = r->next;
		kslab_free(&regions, r);
		r = next;
	}
	list->first = NULL;
}
