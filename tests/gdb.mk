# tests/gdb.mk - the scripted gdb sessions (tests/run-gdb-session.sh): QEMU
# waits for gdb with build/os-gdb.iso (init=hello), then with the shell's
# ISO; gdb runs the helpers of tools/memos-gdb.py. Included by the Makefile.

GDB_ISO := $(BUILD)/os-gdb.iso
$(GDB_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=hello)

# Installed next to the ISO so that it depends on it (and on the helpers).
# (The shell's ISO is named as its rule, later in the Makefile, makes it.)
$(BUILD)/gdb/run-gdb-session.sh: tests/run-gdb-session.sh $(GDB_ISO) \
		$(BUILD)/os-shell.iso tools/memos-gdb.py tests/gdb-session.gdb \
		tests/gdb-session-shell.gdb .gdbinit
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/gdb/run-gdb-session.sh
