/* Keeps the kernel command line and answers questions about its words. */
#include "kernel/cmdline.h"

#include <stddef.h>

#include "kernel/kprintf.h"
#include "lib/string.h"

#define CMDLINE_MAX 256

static char line_copy[CMDLINE_MAX];
static bool test_mode;

void cmdline_init(const char *line, size_t room)
{
	size_t n = 0;

	/* GRUB puts the kernel's own path first; keep the whole line. */
	while (line && n < room && line[n] && n < CMDLINE_MAX - 1) {
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

/* The word starting at or after *p (spaces separate words): its start,
 * with its length in *len and *p moved past it; NULL at the end. */
static const char *next_word(const char **p, size_t *len)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return NULL;
	const char *start = *p;
	while (**p && **p != ' ')
		(*p)++;
	*len = (size_t)(*p - start);
	return start;
}

bool cmdline_has_word(const char *word)
{
	const char *p = line_copy, *w;
	size_t len, want = strlen(word);

	while ((w = next_word(&p, &len)) != NULL) {
		if (len == want && !strncmp(w, word, len))
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
	const char *p = line_copy, *w;
	size_t len, key_len = strlen(key);

	while ((w = next_word(&p, &len)) != NULL) {
		if (len > key_len && !strncmp(w, key, key_len) &&
		    w[key_len] == '=') {
			memcpy(value, w + key_len + 1, len - key_len - 1);
			value[len - key_len - 1] = '\0';
			return value;
		}
	}
	return NULL;
}

bool cmdline_number(const char *key, uint32_t *value)
{
	const char *text = cmdline_value(key);
	uint32_t n = 0;

	if (!text)
		return false;
	for (const char *c = text; *c; c++) {
		uint32_t digit = (uint32_t)(*c - '0');

		if (*c < '0' || *c > '9' || n > (UINT32_MAX - digit) / 10)
			goto not_a_number;
		n = n * 10 + digit;
	}
	if (!text[0])
		goto not_a_number;
	*value = n;
	return true;
not_a_number:
	kprintf("%s: %s=%s is not a number: ignored\n", key, key, text);
	return false;
}

int cmdline_choice(const char *key, const char *const choices[], int fallback)
{
	const char *value = cmdline_value(key);
	int n = 0;

	if (!value)
		return fallback;
	for (; choices[n]; n++) {
		if (strcmp(value, choices[n]) == 0)
			return n;
	}
	kprintf("%s: unknown %s=%s (", key, key, value);
	for (int i = 0; i < n; i++) {
		const char *sep = i == n - 1 ? " or " : ", ";

		kprintf("%s%s", i == 0 ? "" : sep, choices[i]);
	}
	kprintf("): %s it is\n", choices[fallback]);
	return fallback;
}
