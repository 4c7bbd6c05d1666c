/*
 * <stdio.h>: formatted output to the console and line input from it. There
 * are no files: stdin reads the console a line at a time, stdout is line
 * buffered (flushed at each '\n', when full, before stdin is read and at
 * exit), stderr is written at the end of each call.
 *
 * printf conversions are lib/format.c's (lib/format.h lists them): C's
 * integer and text conversions with every flag, width, precision ('*'
 * too) and length modifier (hh h l ll z t j); no floating point, no %n.
 */
#ifndef _MEMOS_STDIO_H
#define _MEMOS_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
#define BUFSIZ 1024

typedef struct memos_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define _MEMOS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

int printf(const char *fmt, ...) _MEMOS_PRINTF(1, 2);
int fprintf(FILE *stream, const char *fmt, ...) _MEMOS_PRINTF(2, 3);
int sprintf(char *buf, const char *fmt, ...) _MEMOS_PRINTF(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) _MEMOS_PRINTF(3, 4);
int vprintf(const char *fmt, va_list ap) _MEMOS_PRINTF(1, 0);
int vfprintf(FILE *stream, const char *fmt, va_list ap) _MEMOS_PRINTF(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) _MEMOS_PRINTF(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
        _MEMOS_PRINTF(3, 0);

int putchar(int c);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
int puts(const char *s); /* s and a newline */
int fputs(const char *s, FILE *stream);
size_t fwrite(const void *ptr, size_t size, size_t count, FILE *stream);
int fflush(FILE *stream); /* NULL: every stream */

/* Input: stdin only. EOF when the console gives nothing more. */
int getchar(void);
int fgetc(FILE *stream);
int getc(FILE *stream);
int ungetc(int c, FILE *stream); /* one character */
char *fgets(char *buf, int size, FILE *stream);

int feof(FILE *stream);
int ferror(FILE *stream);
void clearerr(FILE *stream);

/* "s: message for errno" on stderr. */
void perror(const char *s);

#endif
