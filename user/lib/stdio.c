/*
 * <stdio.h> over the console: three streams, no files. Output collects in
 * the stream's buffer; stdout goes out at a newline (line buffered),
 * stderr at the end of every call, both when the buffer fills. stdin
 * holds what one read() returned: a whole line from the console.
 *
 *   printf -> format() -> stream_putc -> buf --(flush)--> write(fd)
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/format.h"

#define STREAM_EOF 1u
#define STREAM_ERROR 2u

struct memos_file {
	int fd;
	bool line_buffered; /* stdout: flush at '\n' */
	unsigned int flags; /* STREAM_EOF, STREAM_ERROR */
	size_t used;        /* output: bytes waiting in buf */
	bool newline;       /* output: buf holds a '\n' */
	size_t pos;         /* input: next byte of buf to hand out */
	int unget;          /* input: ungetc's character, or EOF */
	char buf[BUFSIZ];
};

static struct memos_file files[3] = {
        {.fd = STDIN_FILENO, .unget = EOF},
        {.fd = STDOUT_FILENO, .line_buffered = true, .unget = EOF},
        {.fd = STDERR_FILENO, .unget = EOF},
};

FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

/* Writes out what the stream holds; on a write error the bytes are
 * dropped and the stream remembers the error. */
static int flush_stream(FILE *f)
{
	size_t done = 0;

	while (done < f->used) {
		ssize_t n = write(f->fd, f->buf + done, f->used - done);
		if (n <= 0) {
			f->flags |= STREAM_ERROR;
			f->used = 0;
			f->newline = false;
			return EOF;
		}
		done += (size_t)n;
	}
	f->used = 0;
	f->newline = false;
	return 0;
}

int fflush(FILE *stream)
{
	int ret = 0;

	if (stream)
		return stream == stdin ? 0 : flush_stream(stream);
	if (flush_stream(stdout))
		ret = EOF;
	if (flush_stream(stderr))
		ret = EOF;
	return ret;
}

/* Adds one byte; writes the buffer out when it is full. */
static void stream_putc(char c, void *ctx)
{
	FILE *f = ctx;

	if (f->used == sizeof(f->buf))
		flush_stream(f);
	f->buf[f->used++] = c;
	if (c == '\n')
		f->newline = true;
}

/* The end of every output call: stderr always goes out, stdout when it
 * holds a newline. */
static int end_output(FILE *f)
{
	if (!f->line_buffered || f->newline)
		return flush_stream(f);
	return 0;
}

static bool is_output(FILE *f)
{
	if (f == stdout || f == stderr)
		return true;
	errno = EBADF;
	return false;
}

int vfprintf(FILE *stream, const char *fmt, va_list ap)
{
	if (!is_output(stream))
		return -1;

	unsigned int flags = stream->flags;
	int n = format(stream_putc, stream, fmt, ap);

	/* A write error now or while format() filled the buffer. */
	if (end_output(stream) || (stream->flags & ~flags & STREAM_ERROR))
		return -1;
	return n;
}

int fprintf(FILE *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(stream, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return format_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return format_vsnprintf(buf, INT_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_vsnprintf(buf, INT_MAX, fmt, ap);
	va_end(ap);
	return n;
}

size_t fwrite(const void *ptr, size_t size, size_t count, FILE *stream)
{
	const char *p = ptr;
	size_t total = size * count;

	if (!is_output(stream) || total == 0)
		return 0;
	if (size != 0 && total / size != count) {
		errno = EINVAL;
		return 0;
	}
	for (size_t i = 0; i < total; i++)
		stream_putc(p[i], stream);
	if (end_output(stream))
		return 0;
	return count;
}

int fputs(const char *s, FILE *stream)
{
	size_t len = strlen(s);

	if (len == 0)
		return is_output(stream) ? 0 : EOF;
	return fwrite(s, len, 1, stream) == 1 ? 0 : EOF;
}

int puts(const char *s)
{
	if (fputs(s, stdout) == EOF)
		return EOF;
	return fputc('\n', stdout) == EOF ? EOF : 0;
}

int fputc(int c, FILE *stream)
{
	char ch = (char)c;

	return fwrite(&ch, 1, 1, stream) == 1 ? (unsigned char)c : EOF;
}

int putc(int c, FILE *stream)
{
	return fputc(c, stream);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* ---- Input: stdin only --------------------------------------------------- */

/* Refills stdin's buffer with the next line; false at EOF or an error. */
static bool fill_stdin(FILE *f)
{
	fflush(stdout); /* a prompt without a newline shows before we wait */
	ssize_t n = read(f->fd, f->buf, sizeof(f->buf));
	if (n <= 0) {
		f->flags |= n == 0 ? STREAM_EOF : STREAM_ERROR;
		return false;
	}
	f->used = (size_t)n;
	f->pos = 0;
	return true;
}

int fgetc(FILE *stream)
{
	if (stream != stdin) {
		errno = EBADF;
		return EOF;
	}
	if (stream->unget != EOF) {
		int c = stream->unget;
		stream->unget = EOF;
		return c;
	}
	if (stream->pos == stream->used && !fill_stdin(stream))
		return EOF;
	return (unsigned char)stream->buf[stream->pos++];
}

int getc(FILE *stream)
{
	return fgetc(stream);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *stream)
{
	if (stream != stdin || c == EOF || stream->unget != EOF)
		return EOF;
	stream->unget = (unsigned char)c;
	stream->flags &= ~STREAM_EOF;
	return stream->unget;
}

char *fgets(char *buf, int size, FILE *stream)
{
	int n = 0;

	if (size <= 0)
		return NULL;
	while (n < size - 1) {
		int c = fgetc(stream);
		if (c == EOF)
			break;
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

int feof(FILE *stream)
{
	return (stream->flags & STREAM_EOF) != 0;
}

int ferror(FILE *stream)
{
	return (stream->flags & STREAM_ERROR) != 0;
}

void clearerr(FILE *stream)
{
	stream->flags = 0;
}

void perror(const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strerror(errno));
	else
		fprintf(stderr, "%s\n", strerror(errno));
}
