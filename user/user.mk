# User programs and the initrd. Included by the main Makefile, which
# defines BUILD, CC, LD, NASM and HOST_CC; this fragment defines INITRD and
# adds the portable-program comparison to TEST_SUITES.
#
# Every user/bin/NAME.c, user/tests/NAME.c and user/portable/NAME.c is one
# program NAME, linked with the user library into build/user/NAME. The initrd is a ustar
# archive of the programs, every file under user/files/ (test fixtures),
# and "test-list": one line "NAME SECONDS" per test, in sorted order; a
# test asks for more than the default time with a line
# "// test-timeout: SECONDS" in its source. A test whose behaviour depends
# on when pages get frames runs once per mode it names in a line
# "// test-vm: eager lazy": its lines are "NAME SECONDS vm=MODE". A test
# of swap runs on a small machine, "// test-swap: FRAMES[/SLOTS]" (at most
# that many user frames resident, and swap slots used), and a test of
# running out of memory without swap with "// test-swap: off": the line
# ends with " swap=SETTING" (tests/kernel/ktest_user.c).

INITRD := $(BUILD)/initrd.tar

# Where programs are linked: the loader maps them at their ELF addresses.
USER_LOAD_ADDR := 0x08048000

# Headers: the C library's own (user/include: <stdio.h>, <stdlib.h>, ...),
# then gcc's freestanding ones (<stdint.h>, <stddef.h>, <stdarg.h>,
# <stdbool.h>), never the host's: -nostdinc. "lib/abi.h" and the other
# repository headers are found with quotes (-iquote .).
USER_GCC_INCLUDE := $(shell $(CC) -m32 -print-file-name=include)
USER_CFLAGS := $(I386_CFLAGS) -nostdlib -nostdinc -Iuser/include \
	-isystem $(USER_GCC_INCLUDE) -iquote .
USER_NASMFLAGS := -f elf32 -g -F dwarf
USER_LDFLAGS := -m elf_i386 -nostdlib -no-pie -z noexecstack \
	--fatal-warnings -T user/user.ld \
	--defsym USER_LOAD_ADDR=$(USER_LOAD_ADDR)

# The user library: crt0, the system call stubs, the small C library, and
# the code shared with the kernel (string core, printf core, the heap).
USER_CRT0 := $(BUILD)/user-obj/user/lib/crt0.o
USER_LIB_C := \
	user/lib/syscall.c \
	user/lib/unistd.c \
	user/lib/resource.c \
	user/lib/dirent.c \
	user/lib/errno.c \
	user/lib/stdio.c \
	user/lib/stdlib.c \
	user/lib/strtol.c \
	user/lib/qsort.c \
	user/lib/rand.c \
	user/lib/ctype.c \
	user/lib/string.c \
	user/lib/assert.c \
	user/lib/time.c \
	user/lib/malloc.c \
	user/lib/parse.c \
	lib/string.c \
	lib/format.c \
	lib/errno_name.c \
	$(HEAP_SRCS)
USER_LIB := $(BUILD)/user-obj/libuser.a
# 64-bit division and the like, which gcc calls out for on i386.
USER_LIBGCC := $(shell $(CC) -m32 -print-libgcc-file-name)

# Programs: one per file, so a new program or test is just a new file.
# user/portable/ holds ordinary C programs that use only the standard
# headers: they are built for the host too (below).
USER_BIN_SRCS := $(sort $(wildcard user/bin/*.c))
USER_TEST_SRCS := $(sort $(wildcard user/tests/*.c))
USER_PORTABLE_SRCS := $(sort $(wildcard user/portable/*.c))
USER_PROGRAMS := $(notdir $(basename $(USER_BIN_SRCS) $(USER_TEST_SRCS) \
	$(USER_PORTABLE_SRCS)))
USER_FILES := $(sort $(wildcard user/files/*))
USER_PROGRAM_BINS := $(addprefix $(BUILD)/user/,$(USER_PROGRAMS))
USER_PROGRAM_OBJS := $(patsubst %.c,$(BUILD)/user-obj/%.o,\
	$(USER_BIN_SRCS) $(USER_TEST_SRCS) $(USER_PORTABLE_SRCS))
# Keep the objects: they are made by a chain of pattern rules.
.SECONDARY: $(USER_PROGRAM_OBJS) $(USER_CRT0)

# Every name in the initrd is flat, so it must be unique.
USER_INITRD_NAMES := $(USER_PROGRAMS) $(notdir $(USER_FILES)) test-list
USER_DUPLICATES := $(strip $(foreach n,$(sort $(USER_INITRD_NAMES)), \
	$(if $(filter-out 1,$(words $(filter $(n),$(USER_INITRD_NAMES)))),$(n))))
ifneq ($(USER_DUPLICATES),)
$(error initrd: more than one file named: $(USER_DUPLICATES))
endif

$(BUILD)/user-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

# The benchmark's programs count instructions with the TSC under QEMU's
# -icount clock: they need its shift (tools/emulator-clock.conf).
VMBENCH_OBJS := $(BUILD)/user-obj/user/bin/vmbench.o \
	$(BUILD)/user-obj/user/bin/filepages.o
$(VMBENCH_OBJS): USER_CFLAGS += $(CLOCK_DEFS)
$(VMBENCH_OBJS): tools/emulator-clock.conf

$(BUILD)/user-obj/%.o: %.asm
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)
	$(Q)$(NASM) $(USER_NASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(USER_LIB): $(patsubst %.c,$(BUILD)/user-obj/%.o,$(USER_LIB_C))
	$(call say,AR,$@)
	@rm -f $@
	$(Q)ar rcs $@ $^

# build/user/NAME from user/bin/NAME.c or user/tests/NAME.c.
$(BUILD)/user/%: $(BUILD)/user-obj/user/bin/%.o $(USER_CRT0) $(USER_LIB) \
		user/user.ld
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(LD) $(USER_LDFLAGS) $(USER_CRT0) $< $(USER_LIB) $(USER_LIBGCC) \
		-o $@

$(BUILD)/user/%: $(BUILD)/user-obj/user/tests/%.o $(USER_CRT0) $(USER_LIB) \
		user/user.ld
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(LD) $(USER_LDFLAGS) $(USER_CRT0) $< $(USER_LIB) $(USER_LIBGCC) \
		-o $@

$(BUILD)/user/%: $(BUILD)/user-obj/user/portable/%.o $(USER_CRT0) \
		$(USER_LIB) user/user.ld
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(LD) $(USER_LDFLAGS) $(USER_CRT0) $< $(USER_LIB) $(USER_LIBGCC) \
		-o $@

# build/user/NAME.sym: the program's symbols for the Bochs debugger
# (`ldsym "build/user/NAME.sym"`, docs/bochs.md), built with the kernel's.
USER_SYMS := $(addsuffix .sym,$(USER_PROGRAM_BINS))
$(BUILD)/user/%.sym: $(BUILD)/user/%
	$(make_sym)
all: $(USER_SYMS)

# The portable programs are strict ISO C, here and on the host.
$(BUILD)/user-obj/user/portable/%.o: USER_CFLAGS += -pedantic

# ... and the same sources for the host's own kind of program (x86-64 on
# a PC: a portable program prints the same whatever the size of long or of
# a pointer), with the system's headers and C library, under
# AddressSanitizer and UBSan. tests/run-portable.sh runs both builds
# and compares their output: a TEST_SUITES script, installed next to the
# host programs so that `make check` builds them first (and the shell's
# ISO, which `check` depends on).
PORTABLE_HOST_BINS := $(patsubst user/portable/%.c,$(BUILD)/host/portable/%,\
	$(USER_PORTABLE_SRCS))
$(BUILD)/host/portable/%: user/portable/%.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)
	$(Q)$(HOST_CC) -std=c11 -pedantic -O1 -g -Wall -Wextra -Werror \
		-fsanitize=address,undefined -fno-sanitize-recover=all $< -o $@

$(BUILD)/portable/run-portable.sh: tests/run-portable.sh $(PORTABLE_HOST_BINS)
	@mkdir -p $(dir $@)
	$(Q)install -m 755 $< $@
TEST_SUITES += $(BUILD)/portable/run-portable.sh

# "NAME SECONDS [vm=MODE]" for each test, sorted by name. Like the list of names in
# the archive, it is rewritten only when it changes (FORCE: checked on
# every make), so adding or removing a file rebuilds the initrd.
$(BUILD)/initrd/test-list: FORCE
	@mkdir -p $(dir $@)
	@for src in $(USER_TEST_SRCS); do \
		limit=$$(sed -n 's|^// test-timeout: *\([0-9][0-9]*\) *$$|\1|p' \
			"$$src" | head -n 1); \
		modes=$$(sed -n 's|^// test-vm: *\([a-z ]*\)$$|\1|p' \
			"$$src" | head -n 1); \
		swap=$$(sed -n 's|^// test-swap: *\([a-z0-9/]*\) *$$| swap=\1|p' \
			"$$src" | head -n 1); \
		if [ -z "$$modes" ]; then \
			echo "$$(basename "$$src" .c) $${limit:-30}$$swap"; \
		else for mode in $$modes; do \
			echo "$$(basename "$$src" .c) $${limit:-30} vm=$$mode$$swap"; \
		done; fi; \
	done > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

$(BUILD)/initrd/names: FORCE
	@mkdir -p $(dir $@)
	@echo $(sort $(USER_INITRD_NAMES)) > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

.PHONY: FORCE

# The archive holds exactly the files listed, flat, with fixed owners and
# times so the same sources give the same bytes. Programs go in without
# their debug sections (gdb reads build/user/NAME).
$(INITRD): $(USER_PROGRAM_BINS) $(USER_FILES) $(BUILD)/initrd/test-list \
		$(BUILD)/initrd/names
	@rm -rf $(BUILD)/initrd/files
	@mkdir -p $(BUILD)/initrd/files
	@for p in $(USER_PROGRAMS); do \
		objcopy --strip-debug $(BUILD)/user/$$p \
			$(BUILD)/initrd/files/$$p || exit 1; \
	done
	@cp $(USER_FILES) $(BUILD)/initrd/test-list $(BUILD)/initrd/files/
	$(call say,TAR,$@)
	$(Q)tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 \
		--mode=a+r -cf $@ -C $(BUILD)/initrd/files \
		$(sort $(USER_INITRD_NAMES))
