# The one Makefile: builds the kernel, the ISO, the host tests, and runs them.
# Everything it makes goes under build/. `make help` lists the targets.

# ---- The address layout, defined once and handed to cc, nasm and ld ------
# KERNEL_VMA: where physical address 0 appears in every address space.
# KERNEL_PHYS: where GRUB loads the kernel image (1 MiB).
KERNEL_VMA  := 0xC0000000
KERNEL_PHYS := 0x00100000
LAYOUT_DEFS := -DKERNEL_VMA=$(KERNEL_VMA) -DKERNEL_PHYS=$(KERNEL_PHYS)

BUILD := build
.DEFAULT_GOAL := all

# The swap disk's size in MiB (0: none), and the disk (see its rule).
SWAP_MB ?= 128
SWAP_IMG := $(BUILD)/swap.img

# `make V=1` shows every command; by default one short line per file.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @echo "  $(1)	$(2)"
endif

# ---- The tests' clock, defined once for make and the scripts ------------
# ICOUNT_SHIFT: QEMU runs tests with -icount shift=ICOUNT_SHIFT; Bochs
# with the same rate as ips (tools/emulator-clock.sh works it out).
# tests/kernel/test_clock.c checks the emulator really runs at it.
include tools/emulator-clock.conf
CLOCK_IPS := $(shell bash -c '. tools/emulator-clock.sh && echo $$BOCHS_IPS')
CLOCK_DEFS := -DICOUNT_SHIFT=$(ICOUNT_SHIFT) -DCLOCK_IPS=$(CLOCK_IPS)

# ---- Tools and flags -----------------------------------------------------
CC      := gcc
LD      := ld
NASM    := nasm
HOST_CC := gcc

# How memos compiles its C code, defined once: MEMOS_OPT is the
# optimisation (-O1, and frame pointers, which the kernel's backtraces
# walk), I386_CFLAGS the freestanding 32-bit code (no PIE, no SSE) of
# the kernel and the user library alike. The benchmark builds the
# allocator with them too (tests/heap.mk), so its figures are those of
# the code memos runs.
MEMOS_OPT := -O1 -fno-omit-frame-pointer
I386_CFLAGS := -m32 -march=i686 -std=c11 -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -mno-sse -mno-sse2 -mno-mmx $(MEMOS_OPT) -g \
	-Wall -Wextra -Werror
# The kernel: no x87 either, and no unwind tables (nothing unwinds).
KCFLAGS := $(I386_CFLAGS) -mno-80387 -fno-asynchronous-unwind-tables -I. \
	$(LAYOUT_DEFS)
NASMFLAGS := -f elf32 -g -F dwarf -I. $(LAYOUT_DEFS)
KLDFLAGS := -m elf_i386 -nostdlib -no-pie -z noexecstack --fatal-warnings -T link.ld \
	--defsym KERNEL_VMA=$(KERNEL_VMA) --defsym KERNEL_PHYS=$(KERNEL_PHYS)

# Host builds of shared code run under AddressSanitizer and UBSan.
HOST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Werror -I. \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
HOST_LDLIBS := -lcmocka

# ---- The allocator's sources, one list for every build of it -----------
# mm/heap.c is the allocator, mm/heap_check.c its walk, stats and
# heap_check; both go into the kernel, the user library, the host tests,
# the benchmark, the LD_PRELOAD library and heapviz's helper.
HEAP_SRCS := \
	mm/heap.c \
	mm/heap_check.c
HEAP_HDRS := \
	mm/heap.h \
	mm/heap_block.h

# ---- Kernel sources, one per line ----------------------------------------
KERNEL_ASM := \
	boot/multiboot.asm \
	boot/boot.asm \
	kernel/arch/isr.asm \
	kernel/arch/gdt_flush.asm \
	kernel/arch/setjmp.asm \
	kernel/arch/switch.asm

KERNEL_C := \
	kernel/main.c \
	kernel/kprintf.c \
	kernel/panic.c \
	kernel/trap.c \
	kernel/irq.c \
	kernel/fault_report.c \
	kernel/backtrace.c \
	kernel/clock.c \
	kernel/cmdline.c \
	kernel/multiboot.c \
	kernel/fault_demo.c \
	kernel/ustar.c \
	kernel/initrd.c \
	kernel/elf_load.c \
	kernel/process.c \
	kernel/sched.c \
	kernel/syscall.c \
	kernel/sys_process.c \
	kernel/sys_signal.c \
	kernel/signal.c \
	kernel/sys_console.c \
	kernel/file.c \
	kernel/sys_file.c \
	kernel/sys_mmap.c \
	kernel/sys_memory.c \
	kernel/sys_slab.c \
	kernel/sys_resource.c \
	kernel/resident.c \
	kernel/uaccess.c \
	kernel/user_fault.c \
	kernel/page_fault.c \
	kernel/vm_space.c \
	kernel/frame_table.c \
	kernel/swap.c \
	kernel/console.c \
	kernel/arch/gdt.c \
	kernel/arch/idt.c \
	drivers/serial.c \
	drivers/vga.c \
	drivers/pic.c \
	drivers/pit.c \
	drivers/exit_device.c \
	drivers/keyboard.c \
	drivers/ata.c \
	mm/region.c \
	mm/pmm.c \
	mm/bitmap_run.c \
	mm/buddy.c \
	mm/vmm.c \
	mm/evict.c \
	$(HEAP_SRCS) \
	mm/kheap.c \
	mm/slab.c \
	mm/kslab.c \
	lib/format.c \
	lib/string.c \
	lib/errno_name.c

# The in-kernel tests: linked into build/kernel-test.elf only, which the
# test ISOs boot; build/kernel.elf (`make run`) links
# kernel/selftest_none.c in their place (kernel/selftest.h).
KERNEL_TEST_C := \
	tests/kernel/ktest.c \
	tests/kernel/ktest_user.c \
	tests/kernel/test_kprintf.c \
	tests/kernel/test_pmm.c \
	tests/kernel/test_pmm_run.c \
	tests/kernel/test_vmm.c \
	tests/kernel/test_cmdline.c \
	tests/kernel/test_pit.c \
	tests/kernel/test_clock.c \
	tests/kernel/test_traps.c \
	tests/kernel/test_vga.c \
	tests/kernel/test_kheap.c \
	tests/kernel/test_slab.c \
	tests/kernel/test_sbrk.c \
	tests/kernel/test_vm.c \
	tests/kernel/test_user_limit.c \
	tests/kernel/test_console_read.c \
	tests/kernel/test_execv.c \
	tests/kernel/test_ata.c \
	tests/kernel/test_swap.c \
	tests/kernel/test_mem_limit.c

KERNEL_OBJS := $(patsubst %.asm,$(BUILD)/kernel/%.o,$(KERNEL_ASM)) \
	       $(patsubst %.c,$(BUILD)/kernel/%.o,$(KERNEL_C))
KERNEL_TEST_OBJS := $(patsubst %.c,$(BUILD)/kernel/%.o,$(KERNEL_TEST_C))

# Two images of the same kernel: KERNEL_ELF without the tests (what `make
# run`, the gdb and Bochs sessions and bench-vm boot), KERNEL_TEST_ELF
# with them (every build/os-test*.iso).
KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_TEST_ELF := $(BUILD)/kernel-test.elf
ISO        := $(BUILD)/os.iso
TEST_ISO   := $(BUILD)/os-test.iso
FAULT_DEMO_ISO := $(BUILD)/os-test+fault-demo.iso
KERNEL_SYM := $(BUILD)/kernel.sym
KERNEL_TEST_SYM := $(BUILD)/kernel-test.sym

# ---- Host unit tests: fragments add names to HOST_TESTS ------------------
# A fragment says   HOST_TESTS += test_x   and   test_x_SRCS := a.c b.c
HOST_TESTS :=
# Extra test suites: executables that print TAP lines ("ok N - name").
TEST_SUITES := tests/check-format.sh tests/check-doc-numbers.sh \
	tests/test-doc-quotes.sh
# The layering of the kernel's includes (tools/include-graph.py): mm/ under
# kernel/, no arrow back but to panic.h and kprintf.h.
TEST_SUITES += tools/include-graph.py
# user/user.mk first: it defines INITRD, which the test ISOs' rules in the
# fragments after it list (a variable defined later is empty there).
include user/user.mk
include tools/i386.mk
include tests/host/host.mk
include tests/heap.mk
include tests/slab.mk
include tests/buddy.mk
include tools/heapviz.mk
include tests/gdb.mk
include tests/bochs.mk
include tests/disk.mk
include tools/view/view.mk
include tools/swap-sim/swap-sim.mk
include labs/labs.mk
# The output the documents quote, compared with the logs the suites above
# wrote (tools/doc-quotes): last, once every log is there.
TEST_SUITES += tools/doc-quotes

.PHONY: all
all: $(KERNEL_ELF) $(ISO) $(KERNEL_SYM) $(SWAP_IMG)

# ---- Kernel build ---------------------------------------------------------
$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.o: %.asm
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

# Only the clock's test knows the clock's rate; it is rebuilt when it changes.
$(BUILD)/kernel/tests/kernel/test_clock.o: KCFLAGS += $(CLOCK_DEFS)
$(BUILD)/kernel/tests/kernel/test_clock.o: tools/emulator-clock.conf

# libgcc: the compiler's helpers, e.g. 64-bit division for printf's %llu.
KERNEL_LIBGCC := $(shell $(CC) -m32 -print-libgcc-file-name)

define link_kernel
	$(call say,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) $(filter %.o,$^) $(KERNEL_LIBGCC) -o $@
	@grub-file --is-x86-multiboot $@ || \
		{ echo "error: $@ has no multiboot header in its first 8 KiB"; rm -f $@; exit 1; }
endef
$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/kernel/kernel/selftest_none.o link.ld
	$(link_kernel)
$(KERNEL_TEST_ELF): $(KERNEL_OBJS) $(KERNEL_TEST_OBJS) link.ld
	$(link_kernel)

# Symbol file for the Bochs debugger's `ldsym` command: "address name"
# lines, for the kernel and (user/user.mk) every user program.
define make_sym
	$(call say,NM,$@)
	$(Q)nm $< | awk '$$2 ~ /^[TtDdBbRr]$$/ { print "0x" $$1, $$3 }' > $@
endef
$(KERNEL_SYM): $(KERNEL_ELF)
	$(make_sym)
$(KERNEL_TEST_SYM): $(KERNEL_TEST_ELF)
	$(make_sym)

# The check that the tests are in KERNEL_TEST_ELF only, installed next to
# the images so that it depends on them.
$(BUILD)/check-images.sh: tests/check-images.sh $(KERNEL_ELF) $(KERNEL_TEST_ELF)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/check-images.sh

# make_iso(iso, kernel command line words): the ISO boots the rule's first
# prerequisite, KERNEL_ELF or KERNEL_TEST_ELF.
define make_iso
	$(call say,ISO,$@)
	@rm -rf $@.dir
	@mkdir -p $@.dir/boot/grub
	$(Q)cp $< $@.dir/boot/kernel.elf
	$(Q)cp $(INITRD) $@.dir/boot/initrd.tar
	$(Q)sed 's|^\(\s*multiboot /boot/kernel.elf\).*|\1 $(2)|' boot/grub.cfg \
		> $@.dir/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $@.dir 2> $@.log || { cat $@.log; exit 1; }
endef

# The kernel command line of build/os.iso: `make run CMDLINE="..."`;
# `make run MEM=4` adds mem=4 (4 MiB of frames for users: docs/disk.md).
# build/cmdline.txt changes only when the line does, so the ISO is rebuilt
# exactly then.
CMDLINE ?= init=sh
ISO_CMDLINE := $(CMDLINE)$(if $(MEM), mem=$(MEM))
$(BUILD)/cmdline.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(ISO_CMDLINE)' | cmp -s - $@ || echo '$(ISO_CMDLINE)' > $@

$(ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg $(BUILD)/cmdline.txt
	$(call make_iso,$@,$(ISO_CMDLINE))

# The swap disk `make run`, `make bochs` and the others attach as the
# primary slave (docs/disk.md): SWAP_MB MiB (default 128, the machine's
# memory), a sparse file (truncate: no room taken until written).
# SWAP_MB=0: no disk. Rebuilt, empty, when SWAP_MB changes. The tests
# give each boot a fresh one of their own (tools/swap-disk.sh).
$(BUILD)/swap-mb.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SWAP_MB)' | cmp -s - $@ || echo '$(SWAP_MB)' > $@
$(SWAP_IMG): $(BUILD)/swap-mb.txt
	$(call say,TRUNCATE,$@)
	$(Q)rm -f $@
	$(Q)if [ '$(SWAP_MB)' -gt 0 ]; then truncate -s $(SWAP_MB)M $@; fi

# The same kernel with other command lines: build/os-WORD+WORD.iso boots
# with "WORD WORD".
$(BUILD)/os-%.iso: $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,$(subst +, ,$*))

# The kernel with its tests: build/os-test.iso runs them,
# build/os-test+WORD+WORD.iso with "WORD WORD" as well; a ~ in a word is
# an = (make takes an argument with = for a variable):
# build/os-test+only~fork.iso boots with "test only=fork".
$(TEST_ISO): $(KERNEL_TEST_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,test)
$(BUILD)/os-test+%.iso: $(KERNEL_TEST_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,test $(subst ~,=,$(subst +, ,$*)))

# vmbench as init, once per mode: `make bench-vm` (tools/vm-bench.sh).
VMBENCH_ISOS := $(BUILD)/os-vmbench-lazy.iso $(BUILD)/os-vmbench-eager.iso
$(BUILD)/os-vmbench-%.iso: $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=vmbench vm=$*)

# The picture of the kernel's includes, as Graphviz dot text
# (`dot -Tsvg build/include-graph.dot`): one box per layer.
.PHONY: include-graph
include-graph:
	@mkdir -p $(BUILD)
	@tools/include-graph.py --dot > $(BUILD)/include-graph.dot
	@tools/include-graph.py --summary
	@echo "wrote $(BUILD)/include-graph.dot"

.PHONY: bench-vm
bench-vm: $(VMBENCH_ISOS)
	@tools/vm-bench.sh $(VMBENCH_ISOS)

# `make test` runs the bench once (about 10 s): its lines must be well
# formed and docs/virtual-memory.md must quote them; the figures are not
# judged. Installed next to the ISOs so that it depends on them.
$(BUILD)/bench/check-vm-bench.sh: tests/check-vm-bench.sh $(VMBENCH_ISOS) \
		tools/vm-bench.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/bench/check-vm-bench.sh

# The shell, for the scripted session (tests/run-shell-session.sh), and
# the shell with slab=debug for its second, short session.
SHELL_ISO := $(BUILD)/os-shell.iso
$(SHELL_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=sh)
SHELL_SLAB_DEBUG_ISO := $(BUILD)/os-shell-slab-debug.iso
$(SHELL_SLAB_DEBUG_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=sh slab=debug)

# ---- Host build -----------------------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

define host_test_rule
$(BUILD)/host/$(1): $$(patsubst %.c,$(BUILD)/host/%.o,$$($(1)_SRCS))
	$$(call say,HOSTLD,$$@)
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) $$^ -o $$@ $$(HOST_LDLIBS)
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

HOST_TEST_BINS := $(addprefix $(BUILD)/host/,$(HOST_TESTS))

# ---- Running --------------------------------------------------------------
QEMU := qemu-system-i386
# The swap disk: the primary channel's slave (the CD is the secondary's
# master, where -cdrom puts it).
QEMU_SWAP_DRIVE := -drive file=$(SWAP_IMG),format=raw,if=ide,index=1
QEMU_FLAGS := -m 128M -no-reboot -boot d \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	$(if $(filter-out 0,$(SWAP_MB)),$(QEMU_SWAP_DRIVE))

.PHONY: FORCE deps run run-vga gdb bochs bochs-gui test check clean help format check-format

deps:
	@./tools/install-deps.sh

# `make run`: install what is missing, build, boot with the serial console
# in this terminal. Quit QEMU with Ctrl-A then X. When the kernel powers
# off it tells QEMU how init ended: 33 (success) is not an error for make;
# Ctrl-A X gives 0.
QEMU_OK = status=$$?; [ $$status -eq 0 ] || [ $$status -eq 33 ]
run:
	@./tools/install-deps.sh
	@$(MAKE) --no-print-directory all
	@echo "Booting in QEMU. Quit with Ctrl-A then X."
	@QEMU=$(QEMU) tools/run-console.sh $(QEMU_FLAGS) -cdrom $(ISO); $(QEMU_OK)

run-vga: all
	@$(QEMU) $(QEMU_FLAGS) -cdrom $(ISO) -serial stdio; $(QEMU_OK)

# QEMU stopped at the first instruction, waiting for gdb on port 1234.
# In another terminal: gdb (the repo's .gdbinit loads the symbols).
gdb: all
	@echo "QEMU waits for gdb on localhost:1234: run 'gdb' in this folder."
	$(QEMU) $(QEMU_FLAGS) -cdrom $(ISO) -nographic -s -S

bochs: all
	./tools/bochs.sh debug

# Bochs in windows: the VGA screen and the graphical debugger (needs X).
bochs-gui: all
	@./tools/install-deps.sh bochs-gui
	./tools/bochs.sh gui

# `make test`: install what is missing, build everything, run every test,
# end with one line "N passed, N failed" (", N skipped" when some are).
test:
	@./tools/install-deps.sh gui-tests view-tests
	@$(MAKE) --no-print-directory check

check: all $(TEST_ISO) $(BUDDY_TEST_ISO) $(FAULT_DEMO_ISO) $(SHELL_ISO) \
		$(SHELL_SLAB_DEBUG_ISO) \
		$(KERNEL_TEST_SYM) \
		$(HOST_TEST_BINS) \
		$(TEST_SUITES) $(I386_PROBE)
	@./tests/run-all.sh $(HOST_TEST_BINS) -- $(TEST_SUITES)

clean:
	rm -rf $(BUILD)

# `make doc-quotes`: runs the tests whose logs the documents quote (the
# kernel tests in QEMU and Bochs' session for their serial logs, the shell
# sessions, the gdb sessions, the swap disk's boots), then rewrites every quoted block from them
# (tools/doc-quotes --refresh). After a change to what a program prints:
# run it, read `git diff`, commit. `make test` checks the quotes.
.PHONY: doc-quotes
doc-quotes: all $(TEST_ISO) $(SHELL_ISO) $(SHELL_SLAB_DEBUG_ISO) \
		$(BUILD)/gdb/run-gdb-session.sh $(BUILD)/bochs/run-bochs-session.sh \
		$(BUILD)/portable/run-portable.sh \
		$(BUILD)/disk/run-disk.sh
	@mkdir -p $(BUILD)/test-logs
	@for t in "tests/run-qemu.sh $(TEST_ISO)" \
		"tests/run-shell-session.sh $(SHELL_ISO) $(SHELL_SLAB_DEBUG_ISO)" \
		"$(BUILD)/portable/run-portable.sh $(SHELL_ISO)" \
		"$(BUILD)/gdb/run-gdb-session.sh" \
		"$(BUILD)/bochs/run-bochs-session.sh" \
		"$(BUILD)/disk/run-disk.sh"; do \
		echo "== $$t"; \
		$$t > $(BUILD)/test-logs/doc-quotes-run.log 2>&1 || \
		{ grep -E '^not ok' $(BUILD)/test-logs/doc-quotes-run.log; \
		  echo "doc-quotes: $$t failed: its log is not quoted until it passes"; \
		  exit 1; }; \
	done
	@tools/doc-quotes --refresh

# Code style: .clang-format (Linux style). `make format` rewrites the C
# files in place; `make check-format` lists the ones that differ.
C_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(C_FILES)

check-format:
	@bad=$$(for f in $(C_FILES); do clang-format "$$f" | cmp -s - "$$f" \
		|| echo "$$f"; done); \
	if [ -n "$$bad" ]; then echo "not formatted (run make format):"; \
		echo "$$bad"; exit 1; fi

help:
	@echo "make run      build and boot in QEMU (serial console in this terminal)"
	@echo "              MEM=N: mem=N (N MiB of user frames); SWAP_MB=N: the swap disk's size (0: none)"
	@echo "make test     build and run every test; prints 'N passed, N failed'"
	@echo "make          build build/kernel.elf and build/os.iso"
	@echo "make view     boot as make run, with a live page of memory in the browser (docs/view.md)"
	@echo "make run-vga  boot in a QEMU window"
	@echo "make gdb      boot QEMU stopped, waiting for gdb"
	@echo "make bochs    boot in Bochs with its debugger and kernel symbols"
	@echo "make bochs-gui  the same in windows: VGA screen and graphical debugger (docs/bochs.md)"
	@echo "make clean    remove build/"
	@echo "make doc-quotes  rerun the tests the documents quote and copy their output in (tools/doc-quotes)"
	@echo "make format   format the C code (make check-format: only check)"
	@echo "make heapviz TRACE=FILE  pictures of the heap in build/heapviz/ (docs/heapviz.md)"
	@echo "make grade LAB=N  grade lab N; make lab-start LAB=N: its starting point (docs/labs/)"
	@echo "make grade-pristine LAB=N SUBMISSION=PATH  an instructor's grade (docs/labs/instructors.md)"
	@echo "make autograder-zip LAB=N  Gradescope's autograder; tools/grade-class: a whole class"
	@echo "make bench-vm  instructions per fork, spawn, execv, fault with vm=lazy and vm=eager, beside targets (docs/virtual-memory.md)"
	@echo "make bench-slab  slab allocator against heap.c and glibc (docs/slab.md)"
	@echo "make bench-buddy  buddy allocator against the bitmap, runs of 1-16 frames (docs/buddy.md)"
	@echo "make include-graph  the kernel's include graph: build/include-graph.dot, its cycles"
	@echo "make bench-dropin  libheapmalloc.so against glibc, mimalloc, jemalloc, tcmalloc (docs/heap-benchmark.md)"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
