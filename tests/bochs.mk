# tests/bochs.mk - the Bochs sessions of docs/bochs.md: the scripted
# debugger session (tests/run-bochs-session.sh) on build/os-debugme.iso,
# whose init is user/bin/debugme (it stops at its BOCHS_BREAK, then
# crashes); and a shell session with Ctrl-C on the serial line. Included
# by the Makefile.

BOCHS_SESSION_ISO := $(BUILD)/os-debugme.iso
$(BOCHS_SESSION_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=debugme)

# Installed next to the ISO so that it depends on it and on the symbols.
$(BUILD)/bochs/run-bochs-session.sh: tests/run-bochs-session.sh \
		$(BOCHS_SESSION_ISO) $(KERNEL_SYM) $(BUILD)/user/debugme.sym \
		docs/bochs.md tools/bochsrc.txt
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/bochs/run-bochs-session.sh

# Ctrl-C in Bochs: the shell's ISO with COM1 on a TCP socket, spinner
# typed and interrupted (tests/run-bochs-shell-session.sh).
$(BUILD)/bochs/run-bochs-shell-session.sh: tests/run-bochs-shell-session.sh \
		$(BUILD)/os-shell.iso tools/bochsrc.txt
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/bochs/run-bochs-shell-session.sh

# `make bochs-gui` under Xvfb (tests/run-bochs-gui.sh): the shell's ISO,
# a screenshot at kmain, keys typed into both windows.
$(BUILD)/bochs/run-bochs-gui.sh: tests/run-bochs-gui.sh $(BUILD)/os-shell.iso \
		$(KERNEL_SYM) tools/bochs.sh tools/bochsrc-gui.txt \
		tools/bochsrc.txt
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/bochs/run-bochs-gui.sh
