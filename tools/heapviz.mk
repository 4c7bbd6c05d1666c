# tools/heapviz.mk - pictures of the heap (docs/heapviz.md): heaptrace, the
# C helper that replays a malloc-lab trace with mm/heap.c and prints heap
# dumps; `make heapviz TRACE=...`; the tool's test suite. Included by the
# Makefile.

# Built -m32 like memos itself, so a picture shows the kernel's block
# sizes (8-byte alignment), and run through $(RUN_I386). UBSan only: an
# AddressSanitizer program cannot run under qemu-i386 (it reserves a
# shadow of the whole address space), and heap.c's unit tests run under
# both sanitizers anyway.
HEAPTRACE := $(BUILD)/host/heaptrace
HEAPTRACE_SRCS := \
	tools/heaptrace.c \
	$(HEAP_SRCS)

$(HEAPTRACE): $(HEAPTRACE_SRCS) $(HEAP_HDRS)
	@mkdir -p $(dir $@)
	$(call say,HOSTLD,$@)
	$(Q)$(HOST_CC) -m32 $(filter-out -fsanitize=%,$(HOST_CFLAGS)) \
		-fsanitize=undefined $(HEAPTRACE_SRCS) -o $@

# `make heapviz TRACE=file [POLICY=segregated|teaching]`: for a trace, a
# picture of the blocks per policy and the utilization plot; for a heap
# dump, its picture. HEAPVIZ_FLAGS goes to the tool (e.g. --every 6).
HEAPVIZ_OUT := $(BUILD)/heapviz
POLICY ?= segregated,teaching
HEAPVIZ_FLAGS ?=

.PHONY: heapviz
heapviz: $(HEAPTRACE) $(I386_PROBE)
	@test -n "$(TRACE)" || { echo "usage: make heapviz TRACE=FILE" \
		"[POLICY=segregated|teaching] [HEAPVIZ_FLAGS=...]"; exit 2; }
	@HEAPTRACE=$(HEAPTRACE) tools/heapviz --out-dir $(HEAPVIZ_OUT) \
		--policy $(POLICY) $(HEAPVIZ_FLAGS) $(TRACE)

# The suite: the tool's SVG checked on a small dump and a tiny trace.
# Installed next to the pictures so that it depends on the helper.
$(BUILD)/heapviz/test_heapviz: tests/heapviz/test_heapviz.py $(HEAPTRACE) \
		$(I386_PROBE) tools/heapviz
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/heapviz/test_heapviz
