/* Keeps the kernel command line and answers questions about its words. */
#include "kernel/cmdline.h"

#include <stddef.h>

#include "lib/string.h"

#define CMDLINE_MAX 256

static char line_copy[CMDLINE_MAX];
static bool test_mode;

void cmdline_init(const char *line)
{
	size_t n = 0;

	/* GRUB puts the kernel's own path first; keep the whole line. */
	while (line && line[n] && n < CMDLINE_MAX - 1) {
		line_copy[n] = line[n];
		n++;
	}
	line_copy[n] = '\0';
	test_mode = cmdline_has_word("test");
}

const char *cmdline_get(void)
{
	return line_copy;
}

bool cmdline_has_word(const char *word)
{
	size_t len = strlen(word);
	const char *p = line_copy;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - start) == len && !strncmp(start, word, len))
			return true;
	}
	return false;
}

bool cmdline_test_mode(void)
{
	return test_mode;
}

const char *cmdline_value(const char *key)
{
	static char value[CMDLINE_MAX];
	size_t key_len = strlen(key);
	const char *p = line_copy;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - start) > key_len &&
		    !strncmp(start, key, key_len) && start[key_len] == '=') {
			size_t n = (size_t)(p - start) - key_len - 1;
			memcpy(value, start + key_len + 1, n);
			value[n] = '\0';
			return value;
		}
	}
	return NULL;
}
