/* Every in-kernel test; tests/kernel/ktest.c lists them with their names. */
#ifndef TESTS_KERNEL_TESTS_H
#define TESTS_KERNEL_TESTS_H

void test_format_integers(void);
void test_format_strings_and_chars(void);
void test_format_pointers_and_long(void);
void test_kprintf_returns_length(void);
void test_pmm_manages_only_usable_ram(void);
void test_pmm_first_frames_are_free_ram(void);
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
void test_vmm_map_phys_refuses_a_range_past_4gib(void);
void test_cmdline_reads_no_further_than_its_room(void);
void test_pit_ticks(void);
void test_clock_counts_instructions(void);
void test_traps_exceptions_arrive(void);
void test_vga_scrolls_and_moves_cursor(void);
void test_kheap_random_operations(void);
void test_kheap_big_blocks_span_pages(void);
void test_kheap_aligned_blocks(void);
void test_kheap_shrink_returns_frames(void);
void test_kheap_freeing_everything_returns_frames(void);
void test_kheap_out_of_memory(void);
void test_region_list_keeps_order_and_refuses_overlap(void);
void test_vm_fault_fills_pages_from_their_region(void);
void test_vm_fault_zero_fills_a_used_frame(void);
void test_vm_fault_out_of_frames(void);
void test_vm_eager_populate_maps_every_page(void);
void test_vm_user_copies_give_untouched_pages_frames(void);
void test_kheap_guard_page_below_heap(void);
void test_kheap_misuse_panics(void);
void test_kheap_two_tasks_preempting(void);
void test_sbrk_stops_at_guard_gap(void);
void test_sbrk_out_of_frames_changes_nothing(void);
void test_sbrk_pages_come_zero_filled(void);
void test_user_hang_killed_at_limit(void);

#endif
