# tests/slab.mk - mm/slab.c on the host: unit and shadow-model random
# tests (cmocka, ASan+UBSan). Included by the Makefile.

SLAB_SRCS := \
	mm/slab.c

HOST_TESTS += test_slab
test_slab_SRCS := \
	tests/host/test_slab.c \
	$(SLAB_SRCS)

# ---- The fuzz target (clang libFuzzer, as tests/heap.mk's) ---------------
$(BUILD)/host/fuzz_slab: $(BUILD)/host/fuzz/mm/slab.o \
		$(BUILD)/host/fuzz/tests/host/fuzz_slab.o
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@

# The suite (tests/fuzz.sh): regression inputs, then SLAB_FUZZ_SECONDS (default 30) of
# fuzzing. Installed next to the fuzzer so that it depends on it.
$(BUILD)/host/slab-fuzz.sh: tests/fuzz.sh $(BUILD)/host/fuzz_slab
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/host/slab-fuzz.sh

# ---- The benchmark (`make bench-slab`) ------------------------------------
# slabbench runs fixed-size workloads against slab.c, heap.c and the C
# library's malloc; the allocators are built as heapbench builds heap.c
# (MEMOS_OPT, no sanitizers: it measures), only the driver has
# BENCH_CFLAGS. The script counts instructions per alloc/free pair with
# callgrind and prints the memory each allocator holds (docs/slab.md).
SLABBENCH := $(BUILD)/host/slabbench
SLABBENCH_OBJS := $(patsubst %.c,$(BUILD)/host/bench/%.o,$(SLAB_SRCS) \
	$(HEAP_SRCS))

$(SLABBENCH): tests/bench/slabbench.c $(SLABBENCH_OBJS) $(HEAP_HDRS) \
		mm/slab.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(BENCH_CFLAGS) tests/bench/slabbench.c $(SLABBENCH_OBJS) \
		-o $@

.PHONY: bench-slab
bench-slab: $(SLABBENCH)
	tests/bench/slab-callgrind.sh $(SLABBENCH)
