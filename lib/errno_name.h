/* The error numbers' names and sentences, for messages a person reads:
 * the C library's strerror and the tests of kernel and user code. */
#ifndef LIB_ERRNO_NAME_H
#define LIB_ERRNO_NAME_H

/* "EFAULT" for EFAULT (or -EFAULT); "" for a number with no name. */
const char *errno_name(int err);

/* "Bad address" for EFAULT (or -EFAULT); NULL for a number with none. */
const char *errno_text(int err);

#endif
