# tools/swap-sim: the page replacement simulator (host, ASan+UBSan), built
# from the kernel's own policies (mm/evict.c). Included by the Makefile.
SWAP_SIM_SRCS := \
	tools/swap-sim/main.c \
	tools/swap-sim/sim.c \
	tools/swap-sim/workloads.c \
	mm/evict.c
SWAP_SIM := $(BUILD)/host/swap-sim

$(SWAP_SIM): $(patsubst %.c,$(BUILD)/host/%.o,$(SWAP_SIM_SRCS))
	$(call say,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@
all: $(SWAP_SIM)

# `make bench-swap` (tools/swap-bench.sh): the same sources built as the
# other benchmarks build theirs (MEMOS_OPT, no sanitizers: it only runs
# long), the tables on the terminal and in build/swap-bench/, with the
# plots.
SWAP_SIM_BENCH := $(BUILD)/host/bench/swap-sim
$(SWAP_SIM_BENCH): $(patsubst %.c,$(BUILD)/host/bench/%.o,$(SWAP_SIM_SRCS))
	$(call say,HOSTLD,$@)
	$(Q)$(HOST_CC) $^ -o $@

.PHONY: bench-swap
bench-swap: $(SWAP_SIM_BENCH)
	@tools/swap-bench.sh $(SWAP_SIM_BENCH) $(BUILD)/swap-bench

# `make test` runs it too (seconds): its tables must be well formed, OPT
# never beaten, the textbook's and Belady's counts right, the plots
# there; docs/swap-policies.md quotes its log (tools/doc-quotes).
$(BUILD)/bench/check-swap-bench.sh: tests/check-swap-bench.sh \
		$(SWAP_SIM_BENCH) tools/swap-bench.sh tools/swap-plot.py
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/bench/check-swap-bench.sh

# The kernel test refstring_counts compares the kernel's fault counts with
# the simulator's, which it gets from this header, made by the simulator.
REFSTRING_EXPECTED := $(BUILD)/gen/refstring_expected.h
$(REFSTRING_EXPECTED): tools/refstring-expected.sh $(SWAP_SIM)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)tools/refstring-expected.sh $(SWAP_SIM) > $@.new && mv $@.new $@
$(BUILD)/user-obj/user/tests/refstring_counts.o: $(REFSTRING_EXPECTED)
$(BUILD)/user-obj/user/tests/refstring_counts.o: USER_CFLAGS += \
	-iquote $(BUILD)/gen
