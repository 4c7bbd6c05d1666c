/* Names for error numbers, for messages a person reads (user/lib/errno.c). */
#ifndef USER_LIB_ERRNO_NAME_H
#define USER_LIB_ERRNO_NAME_H

/* "EFAULT" for EFAULT (or -EFAULT); "" for a number with no name. */
const char *errno_name(int err);

#endif
