# tools/swap-sim: the page replacement simulator (host, ASan+UBSan), built
# from the kernel's own policies (mm/evict.c). Included by the Makefile.
SWAP_SIM_SRCS := \
	tools/swap-sim/main.c \
	tools/swap-sim/sim.c \
	mm/evict.c
SWAP_SIM := $(BUILD)/host/swap-sim

$(SWAP_SIM): $(patsubst %.c,$(BUILD)/host/%.o,$(SWAP_SIM_SRCS))
	$(call say,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@
all: $(SWAP_SIM)
