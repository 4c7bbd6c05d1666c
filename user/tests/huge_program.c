/*
 * A program bigger than the machine's memory (bigbss: 192 MiB of bss, on
 * 128 MiB machines) starts in lazy mode and runs as far as it touches; in
 * eager mode spawn refuses it with ENOMEM and loses no frame. A malformed
 * program is still refused at spawn in both modes (spawn_errors).
 */
// test-vm: eager lazy
// test-swap: off
#include <memos.h>

#include "check.h"

/* Touches 16 KiB of stack, so that the calls between the two counts take
 * no new stack page (a frame) of their own. */
static void touch_stack(void)
{
	volatile char pad[16 * 1024];

	for (size_t i = 0; i < sizeof(pad); i += PAGE_SIZE)
		pad[i] = 0;
}

int main(int argc, char **argv)
{
	struct meminfo before, after;

	touch_stack();
	/* Once first, so that what the kernel heap keeps for the next
	 * process is there already when the frames are counted. */
	int pid = sys_spawn("bigbss", (char *[]){"bigbss", NULL});
	if (pid > 0)
		CHECK_EQ(sys_waitpid(pid, NULL, 0), pid);
	sleep_ms(50);
	CHECK_EQ(meminfo(&before), 0);
	pid = sys_spawn("bigbss", (char *[]){"bigbss", NULL});
	if (vm_eager(argc, argv)) {
		CHECK_ERR(pid, -ENOMEM);
	} else {
		int status;
		CHECK(pid > 0);
		CHECK_EQ(sys_waitpid(pid, &status, 0), pid);
		CHECK_EXITED(status, 0);
	}
	sleep_ms(50); /* let the kernel finish freeing it */
	CHECK_EQ(meminfo(&after), 0);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	return 0;
}
