# tests/gdb.mk - the scripted gdb session (tests/run-gdb-session.sh): QEMU
# waits for gdb with build/os-gdb.iso (init=hello), gdb runs the helpers of
# tools/memos-gdb.py on it. Included by the Makefile.

GDB_ISO := $(BUILD)/os-gdb.iso
$(GDB_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=hello)

# Installed next to the ISO so that it depends on it (and on the helpers).
$(BUILD)/gdb/run-gdb-session.sh: tests/run-gdb-session.sh $(GDB_ISO) \
		tools/memos-gdb.py tests/gdb-session.gdb .gdbinit
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/gdb/run-gdb-session.sh
