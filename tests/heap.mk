# tests/heap.mk - mm/heap.c on the host: unit and random tests (cmocka,
# ASan+UBSan), the libFuzzer suite, libheapmalloc.so and its LD_PRELOAD
# suite, and the benchmark (`make bench`). Included by the Makefile.

HOST_TESTS += test_heap test_heap_random
test_heap_SRCS := \
	tests/host/test_heap.c \
	tests/host/heap_host_env.c \
	$(HEAP_SRCS)
test_heap_random_SRCS := \
	tests/host/test_heap_random.c \
	tests/host/heap_host_env.c \
	$(HEAP_SRCS)

# ---- The fuzz target (clang libFuzzer) ------------------------------------
# Only the allocator and the target carry coverage instrumentation; the pattern
# helpers would otherwise spend the fuzzer's time on their byte loops.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Werror -I. \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJS := \
	$(patsubst %.c,$(BUILD)/host/fuzz/%.o,$(HEAP_SRCS)) \
	$(BUILD)/host/fuzz/tests/host/fuzz_heap.o \
	$(BUILD)/host/fuzz/tests/host/heap_host_env.o

$(BUILD)/host/fuzz/tests/host/heap_host_env.o: tests/host/heap_host_env.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=address,undefined -MMD -MP \
		-c $< -o $@

$(BUILD)/host/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-MMD -MP -c $< -o $@

$(BUILD)/host/fuzz_heap: $(FUZZ_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@

# The suite (tests/fuzz.sh): regression inputs, then HEAP_FUZZ_SECONDS (default 60) of
# fuzzing. Installed next to the fuzzer so that it depends on it.
$(BUILD)/host/heap-fuzz.sh: tests/fuzz.sh $(BUILD)/host/fuzz_heap
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/host/heap-fuzz.sh

# ---- libheapmalloc.so: heap.c as the malloc of Linux programs -------------
# heap.c and heap_check.c are built as memos builds them (MEMOS_OPT); the
# library's own part (the C functions, and tcache.c: the lock and the
# per-thread caches in front of heap.c, which only this library has) is
# host code built with -O2, its fast paths being a dozen instructions.
HEAPMALLOC := $(BUILD)/host/libheapmalloc.so
HEAPMALLOC_FRONT := \
	tests/preload/heapmalloc.c \
	tests/preload/tcache.c
HEAPMALLOC_OBJS := \
	$(patsubst %.c,$(BUILD)/host/preload/%.o,$(HEAP_SRCS)) \
	$(patsubst %.c,$(BUILD)/host/preload/%.o,$(HEAPMALLOC_FRONT))
PRELOAD_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -Wall -Wextra -Werror -I. \
	-fPIC -pthread

$(BUILD)/host/preload/mm/%.o: mm/%.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)
	$(Q)$(HOST_CC) $(PRELOAD_CFLAGS) $(MEMOS_OPT) -fvisibility=hidden \
		-MMD -MP -c $< -o $@

# tcache.c's and heap.c's functions are the library's own (hidden: called
# directly, not through the PLT); heapmalloc.c's are what programs see.
$(BUILD)/host/preload/tests/preload/tcache.o: PRELOAD_VISIBILITY := \
	-fvisibility=hidden
$(BUILD)/host/preload/tests/preload/%.o: tests/preload/%.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)
	$(Q)$(HOST_CC) $(PRELOAD_CFLAGS) -O2 $(PRELOAD_VISIBILITY) -MMD -MP \
		-c $< -o $@

$(HEAPMALLOC): $(HEAPMALLOC_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) -shared -pthread $^ -o $@

# The library's allocator under ThreadSanitizer: many threads, cross-thread
# frees, realloc, calloc, memalign, thread exit, fork, then heap_check. The
# program calls tcache.c by its own names (TSan keeps malloc for itself); a
# race makes TSan report it and the program exit with 66.
TCACHE_TSAN := $(BUILD)/host/test_tcache_threads
TCACHE_TSAN_SRCS := \
	tests/preload/test_tcache_threads.c \
	tests/preload/tcache.c \
	$(HEAP_SRCS)

$(TCACHE_TSAN): $(TCACHE_TSAN_SRCS) $(HEAP_HDRS) tests/preload/tcache.h
	@mkdir -p $(dir $@)
	$(call say,TSAN,$@)
	$(Q)clang -std=c11 -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Werror -I. \
		-fsanitize=thread -fno-omit-frame-pointer -pthread \
		$(TCACHE_TSAN_SRCS) -o $@
TEST_SUITES += $(TCACHE_TSAN)

$(BUILD)/host/heap-preload.sh: tests/heap-preload.sh $(HEAPMALLOC)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/host/heap-preload.sh

# ---- The benchmark ----------------------------------------------------------
# heapbench replays malloc-lab traces against heap.c (over sbrk) and the C
# library's malloc, without sanitizers: it measures. The allocator in it is
# the code memos runs: heapbench32 links the user library's own objects of
# it (built with I386_CFLAGS, the kernel's flags too), and heapbench builds
# it for x86-64 with the same optimisation, MEMOS_OPT. Only the driver,
# tests/bench/heapbench.c, has flags of its own (BENCH_CFLAGS); they do not
# change what heap.c's code does. heapbench32 is not position independent,
# like memos. It runs through $(RUN_I386): natively, or emulated where the
# kernel runs no i386 programs (then it measures utilization, not time).
BENCH_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -I.
HEAPBENCH := $(BUILD)/host/heapbench
HEAPBENCH32 := $(BUILD)/host/heapbench32
HEAPBENCH_OBJS := $(patsubst %.c,$(BUILD)/host/bench/%.o,$(HEAP_SRCS))
HEAPBENCH32_OBJS := $(patsubst %.c,$(BUILD)/user-obj/%.o,$(HEAP_SRCS))
BENCH_WORKLOADS := $(BUILD)/bench/workloads
# Public traces for development (never copied into the repository).
TRACES ?= ../shared/traces

$(BUILD)/host/bench/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)
	$(Q)$(HOST_CC) -std=c11 $(MEMOS_OPT) -g -Wall -Wextra -Werror -I. \
		-MMD -MP -c $< -o $@

$(HEAPBENCH): tests/bench/heapbench.c $(HEAPBENCH_OBJS) $(HEAP_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(BENCH_CFLAGS) tests/bench/heapbench.c $(HEAPBENCH_OBJS) \
		-o $@

$(HEAPBENCH32): tests/bench/heapbench.c $(HEAPBENCH32_OBJS) $(HEAP_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) -m32 -fno-pie -no-pie $(BENCH_CFLAGS) \
		tests/bench/heapbench.c $(HEAPBENCH32_OBJS) -o $@

# The benchmark's own suite (make check): checked replays in both builds,
# a failed allocation failing -x, -m past valgrind's 8 MB break.
$(BUILD)/host/test_heapbench.sh: tests/bench/test_heapbench.sh tests/tap.sh \
		$(HEAPBENCH) $(HEAPBENCH32) $(I386_PROBE)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/host/test_heapbench.sh

# The suite of tools/run-i386 (both ways on any host, and the skip they
# lead to), which runs heapbench32 and the suite above.
$(BUILD)/host/test_run_i386.sh: tests/test_run_i386.sh tests/tap.sh \
		tools/run-i386 $(I386_PROBE) $(HEAPBENCH) $(HEAPBENCH32) \
		tests/bench/test_heapbench.sh
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/host/test_run_i386.sh

$(BENCH_WORKLOADS)/.done: tools/heap-workloads.py
	python3 tools/heap-workloads.py $(BENCH_WORKLOADS)
	@touch $@

.PHONY: bench bench-traces bench-callgrind
# `make bench`: the project's own workloads, x86-64 and i386.
bench: $(HEAPMALLOC) $(HEAPBENCH) $(HEAPBENCH32) $(I386_PROBE) \
		$(BENCH_WORKLOADS)/.done
	$(HEAPBENCH) $(BENCH_WORKLOADS)/*.rep
	@echo "i386 build: $$($(RUN_I386) --way)"
	$(RUN_I386) $(HEAPBENCH32) -q $(BENCH_WORKLOADS)/*.rep

# `make bench-traces`: the issue's suites from $(TRACES), both builds.
bench-traces: $(HEAPBENCH) $(HEAPBENCH32) $(I386_PROBE)
	@echo "i386 build: $$($(RUN_I386) --way)"
	@for suite in csapp11 real25 stress12; do \
		echo "== $$suite (x86-64)"; \
		$(HEAPBENCH) $$(sed 's|^|$(TRACES)/|' $(TRACES)/$$suite.list) \
			|| exit 1; \
		echo "== $$suite (i386)"; \
		$(RUN_I386) $(HEAPBENCH32) -q $$(sed 's|^|$(TRACES)/|' $(TRACES)/$$suite.list) \
			|| exit 1; \
	done

# `make bench-callgrind`: allocator instructions per operation vs libc.
# It prints each suite's line; the per-trace tables are kept in
# $(BENCH_OUT)/callgrind-SUITE-BENCH.txt. valgrind runs an i386 program
# only natively: when tools/run-i386 would emulate it, the i386 rows say
# why they are not measured.
BENCH_OUT := $(BUILD)/bench
bench-callgrind: $(HEAPBENCH) $(HEAPBENCH32) $(I386_PROBE)
	@mkdir -p $(BENCH_OUT)
	@way=$$($(RUN_I386) --way); \
	for bench in $(HEAPBENCH) $(HEAPBENCH32); do \
		for suite in csapp11 real25; do \
			if [ $$bench = $(HEAPBENCH32) ] && \
				[ "$${way%% *}" != native ]; then \
				echo "suite $$suite-$$(basename $$bench): not" \
					"measured: valgrind runs i386 programs" \
					"only natively, and here they are $$way"; \
				continue; \
			fi; \
			out=$$(tools/heap-callgrind.sh $$bench \
				$$suite-$$(basename $$bench) \
				$$(sed 's|^|$(TRACES)/|' $(TRACES)/$$suite.list)) \
				|| exit 1; \
			echo "$$out" > $(BENCH_OUT)/callgrind-$$suite-$$( \
				basename $$bench).txt; \
			echo "$$out" | tail -n 1; \
		done; \
	done

# `make bench-dropin`: libheapmalloc.so as the malloc of real processes,
# against glibc and Debian's mimalloc, jemalloc and tcmalloc (installed
# here, not by make run): the trace suites under callgrind (I/op), their
# resident memory, real programs' wall time (alternated, medians) and peak
# RSS, threadbench with 1 and 2 threads, and issue 28's targets. The
# output is kept in $(BENCH_OUT)/dropin.txt. DROPIN_REPS runs per figure.
DROPIN_REPLAY := $(BUILD)/host/dropin_replay
THREADBENCH := $(BUILD)/host/threadbench
DROPIN_REPS ?= 5

$(DROPIN_REPLAY): tests/bench/dropin_replay.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(BENCH_CFLAGS) $< -o $@

$(THREADBENCH): tests/bench/threadbench.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(BENCH_CFLAGS) -pthread $< -o $@

.PHONY: bench-dropin
bench-dropin: $(HEAPMALLOC) $(DROPIN_REPLAY) $(THREADBENCH)
	@./tools/install-deps.sh bench-dropin
	@mkdir -p $(BENCH_OUT)
	python3 tools/dropin-bench.py --heapmalloc $(HEAPMALLOC) \
		--replay $(DROPIN_REPLAY) --threadbench $(THREADBENCH) \
		--traces $(TRACES) --out $(BENCH_OUT) --reps $(DROPIN_REPS) \
		| tee $(BENCH_OUT)/dropin.txt
