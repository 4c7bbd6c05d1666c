# tests/buddy.mk - mm/buddy.c on the host: unit and shadow-model random
# tests (cmocka, ASan+UBSan) and the libFuzzer suite. Included by the
# Makefile.

BUDDY_SRCS := \
	mm/buddy.c \
	lib/format.c

HOST_TESTS += test_buddy
test_buddy_SRCS := \
	tests/host/test_buddy.c \
	$(BUDDY_SRCS)

# ---- The fuzz target (clang libFuzzer, built as tests/heap.mk builds
# fuzz_heap) and its suite: regression inputs, then BUDDY_FUZZ_SECONDS
# (default 20) of fuzzing.
$(BUILD)/host/fuzz_buddy: $(patsubst %.c,$(BUILD)/host/fuzz/%.o, \
		$(BUDDY_SRCS) tests/host/fuzz_buddy.c)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@

$(BUILD)/host/buddy-fuzz.sh: tests/fuzz.sh $(BUILD)/host/fuzz_buddy
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/host/buddy-fuzz.sh

# ---- The kernel with the buddy policy -------------------------------------
# `make test` runs the in-kernel and user tests a second time with
# pmm=buddy (tests/run-all.sh): every frame test against both policies.
BUDDY_TEST_ISO := $(BUILD)/os-test-buddy.iso
$(BUDDY_TEST_ISO): $(KERNEL_TEST_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,test pmm=buddy)

# ---- The benchmark (`make bench-buddy`) -----------------------------------
# buddybench ages 128 MiB of frames with the same random workload under the
# buddy allocator and the bitmap's run search, built as slabbench builds
# its allocators (MEMOS_OPT, no sanitizers: it measures); the script counts
# instructions per request with callgrind (docs/buddy.md).
BUDDYBENCH := $(BUILD)/host/buddybench
BUDDYBENCH_OBJS := $(patsubst %.c,$(BUILD)/host/bench/%.o,mm/buddy.c \
	mm/bitmap_run.c lib/format.c)

$(BUDDYBENCH): tests/bench/buddybench.c $(BUDDYBENCH_OBJS) mm/buddy.h \
		mm/bitmap_run.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(BENCH_CFLAGS) tests/bench/buddybench.c $(BUDDYBENCH_OBJS) \
		-o $@

.PHONY: bench-buddy
bench-buddy: $(BUDDYBENCH)
	tests/bench/buddy-callgrind.sh $(BUDDYBENCH)
