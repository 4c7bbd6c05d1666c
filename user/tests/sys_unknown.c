/* System call numbers the kernel does not know get -ENOSYS, and the
 * process goes on. */
#include "check.h"

int main(void)
{
	static const uint32_t unknown[] = {
	        SYSCALL_COUNT, SYSCALL_COUNT + 1, 1000,
	        0x7FFFFFFFu,   0x80000000u, /* negative as an int */
	        0xFFFFFFFFu,                /* -1 */
	};

	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		char name[16];
		int ret = syscall5(unknown[i], 1, 2, 3, 4, 5);
		if (ret != -ENOSYS)
			check_fail(__FILE__, __LINE__,
			           "system call %u returned %d%s, expected "
			           "-ENOSYS",
			           (unsigned)unknown[i], ret,
			           errno_suffix(ret, name, sizeof(name)));
	}
	CHECK(sys_getpid() > 0);
	return 0;
}
