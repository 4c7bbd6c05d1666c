/* Turning program arguments into numbers. */
#ifndef USER_LIB_PARSE_H
#define USER_LIB_PARSE_H

/* Parses a decimal integer with an optional '-' ("42", "-1") into *value.
 * 0, or -EINVAL for anything else (empty, other characters, overflow). */
int parse_int(const char *s, int *value);

#endif
