/*
 * The printf formatting core: parses a format string and turns each
 * conversion into characters handed to a caller's putc function.
 */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

/* What one conversion asked for, parsed from "%-08lx" and the like. */
struct spec {
	bool left_align;
	bool zero_pad;
	int width;
	bool is_long;
	char conversion;
};

struct out {
	format_putc_fn putc;
	void *ctx;
	int count;
};

static void emit(struct out *out, char c)
{
	out->putc(c, out->ctx);
	out->count++;
}

static void emit_repeat(struct out *out, char c, int n)
{
	while (n-- > 0)
		emit(out, c);
}

/* Prints text padded to the width; zero padding goes after a sign. */
static void emit_padded(struct out *out, const struct spec *spec,
			const char *sign, const char *digits, int ndigits)
{
	int nsign = sign[0] ? 1 : 0;
	int pad = spec->width - nsign - ndigits;

	if (!spec->left_align && !spec->zero_pad)
		emit_repeat(out, ' ', pad);
	if (nsign)
		emit(out, sign[0]);
	if (!spec->left_align && spec->zero_pad)
		emit_repeat(out, '0', pad);
	for (int i = 0; i < ndigits; i++)
		emit(out, digits[i]);
	if (spec->left_align)
		emit_repeat(out, ' ', pad);
}

/* Writes the digits of value in base into buf (most significant first)
 * and returns how many there are. buf must hold 32 characters. */
static int to_digits(unsigned long value, unsigned base, bool upper, char *buf)
{
	const char *digit_chars =
		upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char reversed[32];
	int n = 0;

	do {
		reversed[n++] = digit_chars[value % base];
		value /= base;
	} while (value);
	for (int i = 0; i < n; i++)
		buf[i] = reversed[n - 1 - i];
	return n;
}

static void emit_number(struct out *out, const struct spec *spec,
			unsigned long magnitude, bool negative, unsigned base,
			bool upper)
{
	char digits[32];
	int n = to_digits(magnitude, base, upper, digits);

	emit_padded(out, spec, negative ? "-" : "", digits, n);
}

static void emit_string(struct out *out, const struct spec *spec, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	/* Strings are padded with spaces even when '0' was given. */
	struct spec text = *spec;
	text.zero_pad = false;
	emit_padded(out, &text, "", s, len);
}

/* Parses flags, width and length after a '%'; returns the position of
 * the conversion character. */
static const char *parse_spec(const char *p, struct spec *spec)
{
	*spec = (struct spec){0};
	for (;; p++) {
		if (*p == '-')
			spec->left_align = true;
		else if (*p == '0')
			spec->zero_pad = true;
		else
			break;
	}
	while (*p >= '0' && *p <= '9')
		spec->width = spec->width * 10 + (*p++ - '0');
	if (*p == 'l') {
		spec->is_long = true;
		p++;
	}
	spec->conversion = *p;
	return p;
}

static void emit_conversion(struct out *out, const struct spec *spec,
			    va_list *ap)
{
	switch (spec->conversion) {
	case 'd':
	case 'i': {
		long v = spec->is_long ? va_arg(*ap, long) : va_arg(*ap, int);
		/* Negate in unsigned arithmetic: -LONG_MIN overflows. */
		unsigned long magnitude =
			v < 0 ? -(unsigned long)v : (unsigned long)v;
		emit_number(out, spec, magnitude, v < 0, 10, false);
		break;
	}
	case 'u':
	case 'x':
	case 'X': {
		unsigned long v = spec->is_long ? va_arg(*ap, unsigned long)
						: va_arg(*ap, unsigned int);
		unsigned base = spec->conversion == 'u' ? 10 : 16;
		emit_number(out, spec, v, false, base, spec->conversion == 'X');
		break;
	}
	case 'p': {
		/* Pointers print as 0x and every hex digit of the address. */
		uintptr_t v = (uintptr_t)va_arg(*ap, void *);
		struct spec hex = {.zero_pad = true,
				   .width = (int)sizeof(void *) * 2};
		emit(out, '0');
		emit(out, 'x');
		emit_number(out, &hex, v, false, 16, false);
		break;
	}
	case 's':
		emit_string(out, spec, va_arg(*ap, const char *));
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		emit_padded(out, spec, "", &c, 1);
		break;
	}
	case '%':
		emit(out, '%');
		break;
	default:
		/* Unknown: show it as written so the mistake is visible. */
		emit(out, '%');
		if (spec->conversion)
			emit(out, spec->conversion);
		break;
	}
}

int format(format_putc_fn putc, void *ctx, const char *fmt, va_list ap)
{
	struct out out = {putc, ctx, 0};
	va_list args;

	/* va_copy lets us pass a pointer to it around on every ABI. */
	va_copy(args, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			emit(&out, *p);
			continue;
		}
		struct spec spec;
		p = parse_spec(p + 1, &spec);
		emit_conversion(&out, &spec, &args);
		if (!*p)
			break;
	}
	va_end(args);
	return out.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t used;
};

static void buffer_putc(char c, void *ctx)
{
	struct buffer *b = ctx;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = {buf, size, 0};
	int n = format(buffer_putc, &b, fmt, ap);

	if (size > 0)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
