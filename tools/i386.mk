# tools/i386.mk - host programs built for i386 run through tools/run-i386
# (natively, or under qemu-i386 where the kernel runs no 32-bit programs).
# Every rule that runs one depends on $(I386_PROBE), the program the
# script tries first. Included by the Makefile.

RUN_I386 := tools/run-i386
I386_PROBE := $(BUILD)/host/i386-probe

$(I386_PROBE): tools/i386-probe.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)
	$(Q)$(HOST_CC) -m32 -std=c11 -O1 -Wall -Wextra -Werror $< -o $@

