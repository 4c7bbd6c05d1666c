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

# The thrashing demo in memos itself: user/bin/thrash as init with 4 MiB
# of memory for processes (mem=4) and the swap disk tests/boot-qemu.sh
# attaches; bench-swap prints its table after the simulator's.
# One image per policy (evict=): make test runs clock's, the bench all.
THRASH_ISO := $(BUILD)/os-thrash-clock.iso
THRASH_ISOS := $(foreach p,clock fifo lru random,$(BUILD)/os-thrash-$(p).iso)
$(BUILD)/os-thrash-%.iso: $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=thrash mem=4 evict=$*)

# `make bench-swap` (tools/swap-bench.sh): the same sources built as the
# other benchmarks build theirs (MEMOS_OPT, no sanitizers: it only runs
# long), the tables on the terminal and in build/swap-bench/, with the
# plots.
SWAP_SIM_BENCH := $(BUILD)/host/bench/swap-sim
$(SWAP_SIM_BENCH): $(patsubst %.c,$(BUILD)/host/bench/%.o,$(SWAP_SIM_SRCS))
	$(call say,HOSTLD,$@)
	$(Q)$(HOST_CC) $^ -o $@

.PHONY: bench-swap
bench-swap: $(SWAP_SIM_BENCH) $(THRASH_ISOS)
	@tools/swap-bench.sh $(SWAP_SIM_BENCH) $(BUILD)/swap-bench \
		$(BUILD)/swap-bench/swap-bench.log $(THRASH_ISOS)

# `make test` runs it too (half a minute): its tables must be well formed,
# OPT never beaten, the textbook's and Belady's counts right, thrashing
# visible, the plots there; docs/swap-policies.md quotes its log
# (tools/doc-quotes).
$(BUILD)/bench/check-swap-bench.sh: tests/check-swap-bench.sh \
		$(SWAP_SIM_BENCH) tools/swap-bench.sh tools/swap-plot.py \
		$(THRASH_ISO)
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
