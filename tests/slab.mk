# tests/slab.mk - mm/slab.c on the host: unit and shadow-model random
# tests (cmocka, ASan+UBSan). Included by the Makefile.

SLAB_SRCS := \
	mm/slab.c

HOST_TESTS += test_slab
test_slab_SRCS := \
	tests/host/test_slab.c \
	$(SLAB_SRCS)
