/* Every in-kernel test, in the order they run. */
#ifndef TESTS_KERNEL_TESTS_H
#define TESTS_KERNEL_TESTS_H

void test_format_integers(void);
void test_format_strings_and_chars(void);
void test_format_pointers_and_long(void);
void test_kprintf_returns_length(void);
void test_pmm_count_matches_memory_map(void);
void test_pmm_hands_out_every_frame_once(void);
void test_pmm_reuses_freed_frame(void);
void test_pmm_double_free_panics(void);
void test_pmm_free_of_non_ram_panics(void);
void test_vmm_map_translate_unmap(void);
void test_vmm_user_tables_on_demand(void);
void test_vmm_kernel_mappings_shared(void);
void test_vmm_kernel_text_is_read_only(void);
void test_vmm_null_page_faults(void);
void test_vmm_identity_mapping_gone(void);
void test_pit_ticks(void);

#define KERNEL_TEST_LIST                                                      \
	{ "kprintf: integers, width and zero padding", test_format_integers }, \
	{ "kprintf: strings and characters", test_format_strings_and_chars },  \
	{ "kprintf: pointers and the l modifier",                              \
	  test_format_pointers_and_long },                                     \
	{ "kprintf: returns the characters written",                           \
	  test_kprintf_returns_length },                                       \
	{ "pmm: frame count matches the memory map",                           \
	  test_pmm_count_matches_memory_map },                                 \
	{ "pmm: every usable frame is handed out exactly once",                \
	  test_pmm_hands_out_every_frame_once },                               \
	{ "pmm: a freed frame is reused", test_pmm_reuses_freed_frame },       \
	{ "pmm: double free is caught", test_pmm_double_free_panics },         \
	{ "pmm: free of a non-RAM address is caught",                          \
	  test_pmm_free_of_non_ram_panics },                                   \
	{ "vmm: map, translate, unmap", test_vmm_map_translate_unmap },        \
	{ "vmm: user page tables on demand, freed with the space",             \
	  test_vmm_user_tables_on_demand },                                    \
	{ "vmm: later kernel mappings appear in every space",                  \
	  test_vmm_kernel_mappings_shared },                                   \
	{ "vmm: a write to kernel text faults",                                \
	  test_vmm_kernel_text_is_read_only },                                 \
	{ "vmm: page 0 is unmapped (NULL faults)", test_vmm_null_page_faults }, \
	{ "vmm: the boot identity mapping is gone",                            \
	  test_vmm_identity_mapping_gone },                                    \
	{ "pit: the timer ticks", test_pit_ticks },

#endif
