/*
 * The kernel command line from GRUB (the words after the kernel's path in
 * grub.cfg). Words: "test" runs the in-kernel tests and powers off.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>

#include <stddef.h>
#include <stdint.h>

/* Keeps a copy of line (which may be NULL): up to its NUL, but never more
 * than room bytes (what may be read there) nor than 255. */
void cmdline_init(const char *line, size_t room);
const char *cmdline_get(void);
/* True if the word appears on its own. */
bool cmdline_has_word(const char *word);
bool cmdline_test_mode(void);
/* The value of a "key=value" word (up to the next space, in a static
 * buffer), or NULL if there is none. */
const char *cmdline_value(const char *key);

/*
 * The option "key=N", N a decimal number: true with N in *value; false
 * when the word is absent, or (after the message "KEY: KEY=VALUE is not a
 * number: ignored") when VALUE is not a number below 2^32.
 */
bool cmdline_number(const char *key, uint32_t *value);

/*
 * The option "key=value" picks one of choices (a NULL-terminated list):
 * the index of value in it, or fallback when the word is absent. An
 * unknown value is not an error that stops the boot: it prints
 * "KEY: unknown KEY=VALUE (A or B): FALLBACK it is" and gives fallback.
 * kmain reads each option once and hands the choice to its subsystem
 * (pmm_init, kslab_init, vm_init), which never reads the line itself.
 */
int cmdline_choice(const char *key, const char *const choices[], int fallback);

#endif
