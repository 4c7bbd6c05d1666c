/* uprintf: formats into a small buffer and writes it out when full. */
#include "user/lib/uprintf.h"

#include "lib/format.h"
#include "user/lib/syscall.h"

/* Output collects here so a short message goes out in one write. */
struct out_buffer {
	int fd;
	int error; /* the first write error, or 0 */
	size_t used;
	char buf[256];
};

static void flush(struct out_buffer *out)
{
	if (out->used > 0 && out->error == 0) {
		int ret = write(out->fd, out->buf, out->used);
		if (ret < 0)
			out->error = ret;
	}
	out->used = 0;
}

static void buffer_putc(char c, void *ctx)
{
	struct out_buffer *out = ctx;

	if (out->used == sizeof(out->buf))
		flush(out);
	out->buf[out->used++] = c;
}

int uvdprintf(int fd, const char *fmt, va_list ap)
{
	struct out_buffer out = {.fd = fd};
	int n = format(buffer_putc, &out, fmt, ap);

	flush(&out);
	return out.error ? out.error : n;
}

int udprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = uvdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int uprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = uvdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	return n;
}
