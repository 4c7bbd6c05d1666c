# Host unit tests of shared code (cmocka, under ASan and UBSan).
HOST_TESTS += test_format
test_format_SRCS := tests/host/test_format.c lib/format.c
