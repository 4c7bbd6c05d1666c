/* errno, and strerror (the sentences are lib/errno_name.c's). */
#include <errno.h>
#include <string.h>

#include "lib/errno_name.h"

int errno;

char *strerror(int err)
{
	const char *text = errno_text(err);

	if (err == 0)
		return "Success";
	return (char *)(text ? text : "Unknown error");
}
