# Host unit tests of shared code (cmocka, under ASan and UBSan).
HOST_TESTS += test_format
test_format_SRCS := tests/host/test_format.c lib/format.c

# The initrd's ustar reader: good archives and each kind of bad header.
HOST_TESTS += test_ustar
test_ustar_SRCS := tests/host/test_ustar.c kernel/ustar.c

# The replacement policies (mm/evict.c) and the simulator over them.
HOST_TESTS += test_evict
test_evict_SRCS := tests/host/test_evict.c tools/swap-sim/sim.c mm/evict.c
