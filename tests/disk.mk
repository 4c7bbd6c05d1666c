# tests/disk.mk - the swap disk's boots (tests/run-disk.sh): with no disk,
# with one of another size, with mem=4, in QEMU and Bochs. Included by the
# Makefile; the kernel's own disk tests are in tests/kernel/test_ata.c.

DISK_TRUE_ISO := $(BUILD)/os-disk-true.iso
DISK_SHELL_ISO := $(BUILD)/os-disk-shell.iso
# swapdemo's 16 MiB on a machine of 4: four times its user memory.
DISK_SWAPDEMO_ISO := $(BUILD)/os-disk-swapdemo.iso
# The kernel tests' image with only the driver's error test (the sector
# tests/run-disk.sh makes QEMU fail).
DISK_ERROR_ISO := $(BUILD)/os-test-disk-error.iso
$(DISK_ERROR_ISO): $(KERNEL_TEST_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,test tests=ata-error ata_bad_sector=40000)
$(DISK_TRUE_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=true mem=4)
$(DISK_SHELL_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=sh mem=4)
$(DISK_SWAPDEMO_ISO): $(KERNEL_ELF) $(INITRD) boot/grub.cfg
	$(call make_iso,$@,init=swapdemo mem=4)

# Installed next to the ISOs so that it depends on them.
$(BUILD)/disk/run-disk.sh: tests/run-disk.sh $(DISK_TRUE_ISO) \
		$(DISK_SHELL_ISO) $(DISK_ERROR_ISO) $(DISK_SWAPDEMO_ISO) \
		tools/swap-disk.sh \
		tools/bochsrc.txt
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec tests/run-disk.sh %s %s %s %s\n' \
		$(DISK_TRUE_ISO) $(DISK_SHELL_ISO) $(DISK_ERROR_ISO) \
		$(DISK_SWAPDEMO_ISO) > $@
	@chmod 755 $@
TEST_SUITES += $(BUILD)/disk/run-disk.sh
