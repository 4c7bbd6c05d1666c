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
