/*
 * The kernel command line from GRUB (the words after the kernel's path in
 * grub.cfg). Words: "test" runs the in-kernel tests and powers off.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>

/* Keeps a copy of line (which may be NULL). */
void cmdline_init(const char *line);
const char *cmdline_get(void);
/* True if the word appears on its own. */
bool cmdline_has_word(const char *word);
bool cmdline_test_mode(void);
/* The value of a "key=value" word (up to the next space, in a static
 * buffer), or NULL if there is none. */
const char *cmdline_value(const char *key);

#endif
