/*
 * The printf formatting core: parses a format string and turns each
 * conversion into characters handed to a caller's putc function.
 *
 * A conversion is  %[flags][width][.precision][length]conversion
 *   flags      '-' left-align, '0' pad with zeros, '+' / ' ' sign of
 *              positive numbers, '#' alternate form (0x, leading 0)
 *   width      minimum characters, a number or '*' (taken from the args)
 *   precision  minimum digits of a number, maximum characters of a string
 *   length     hh h l ll z t j: the size of the integer argument
 */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

enum length { LEN_DEFAULT, LEN_LONG, LEN_LONG_LONG, LEN_SIZE };

/* What one conversion asked for, parsed from "%-08lx" and the like. */
struct spec {
	bool left_align, zero_pad, plus_sign, space_sign, alternate;
	int width;
	int precision; /* -1: none given */
	enum length length;
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

static void emit_text(struct out *out, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		emit(out, s[i]);
}

/*
 * The layout of a formatted field, left to right:
 *   [spaces] prefix [zeros] body [spaces]
 * prefix is a sign or 0x; zeros come from precision or the '0' flag.
 */
static void emit_field(struct out *out, const struct spec *spec,
                       const char *prefix, int zeros, const char *body,
                       int body_len)
{
	int prefix_len = 0;

	while (prefix[prefix_len])
		prefix_len++;
	int used = prefix_len + zeros + body_len;
	int pad = spec->width > used ? spec->width - used : 0;

	if (spec->zero_pad && !spec->left_align) {
		zeros += pad; /* zero padding goes after the sign */
		pad = 0;
	}
	if (!spec->left_align)
		emit_repeat(out, ' ', pad);
	emit_text(out, prefix, prefix_len);
	emit_repeat(out, '0', zeros);
	emit_text(out, body, body_len);
	if (spec->left_align)
		emit_repeat(out, ' ', pad);
}

/* Writes the digits of value in base into buf (most significant first)
 * and returns how many there are (none for 0: the caller decides). */
static int to_digits(unsigned long long value, unsigned base, bool upper,
                     char buf[static 24])
{
	const char *digit_chars =
	        upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char reversed[24];
	int n = 0;

	while (value) {
		reversed[n++] = digit_chars[value % base];
		value /= base;
	}
	for (int i = 0; i < n; i++)
		buf[i] = reversed[n - 1 - i];
	return n;
}

static void emit_integer(struct out *out, const struct spec *spec,
                         unsigned long long magnitude, bool negative)
{
	char c = spec->conversion;
	unsigned base = c == 'o' ? 8 : (c == 'x' || c == 'X') ? 16 : 10;
	char digits[24];
	int n = to_digits(magnitude, base, c == 'X', digits);
	/* No precision: at least one digit shows ("%.0d" of 0 shows none). */
	int min_digits = spec->precision < 0 ? 1 : spec->precision;
	int zeros = min_digits > n ? min_digits - n : 0;
	const char *prefix = "";

	if (negative)
		prefix = "-";
	else if ((c == 'd' || c == 'i') && spec->plus_sign)
		prefix = "+";
	else if ((c == 'd' || c == 'i') && spec->space_sign)
		prefix = " ";
	else if (spec->alternate && magnitude && c == 'x')
		prefix = "0x";
	else if (spec->alternate && magnitude && c == 'X')
		prefix = "0X";
	else if (spec->alternate && c == 'o' && zeros == 0)
		zeros = 1; /* octal's alternate form starts with a 0 */

	struct spec field = *spec;
	if (spec->precision >= 0)
		field.zero_pad = false; /* a precision turns the '0' flag off */
	emit_field(out, &field, prefix, zeros, digits, n);
}

static void emit_string(struct out *out, const struct spec *spec, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (spec->precision < 0 || len < spec->precision))
		len++;
	struct spec text = *spec;
	text.zero_pad = false; /* strings are padded with spaces */
	emit_field(out, &text, "", 0, s, len);
}

/* Reads a decimal number or '*' (an int argument) at *p. */
static int parse_count(const char **p, va_list *ap)
{
	int n = 0;

	if (**p == '*') {
		(*p)++;
		return va_arg(*ap, int);
	}
	while (**p >= '0' && **p <= '9')
		n = n * 10 + (*(*p)++ - '0');
	return n;
}

/* Parses flags, width, precision and length after a '%'; returns the
 * position of the conversion character. */
static const char *parse_spec(const char *p, struct spec *spec, va_list *ap)
{
	*spec = (struct spec){.precision = -1};
	for (;; p++) {
		if (*p == '-')
			spec->left_align = true;
		else if (*p == '0')
			spec->zero_pad = true;
		else if (*p == '+')
			spec->plus_sign = true;
		else if (*p == ' ')
			spec->space_sign = true;
		else if (*p == '#')
			spec->alternate = true;
		else
			break;
	}
	spec->width = parse_count(&p, ap);
	if (spec->width < 0) { /* a negative '*' width means left-align */
		spec->left_align = true;
		spec->width = -spec->width;
	}
	if (*p == '.') {
		p++;
		spec->precision = parse_count(&p, ap);
		if (spec->precision < 0)
			spec->precision = -1; /* as if none was given */
	}
	if (p[0] == 'l' && p[1] == 'l') {
		spec->length = LEN_LONG_LONG;
		p += 2;
	} else if (*p == 'l') {
		spec->length = LEN_LONG;
		p++;
	} else if (*p == 'z' || *p == 't' || *p == 'j') {
		spec->length = *p == 'j' ? LEN_LONG_LONG : LEN_SIZE;
		p++;
	} else {
		while (*p == 'h') /* char and short arrive as int anyway */
			p++;
	}
	spec->conversion = *p;
	return p;
}

static long long signed_arg(const struct spec *spec, va_list *ap)
{
	switch (spec->length) {
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LONG_LONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long unsigned_arg(const struct spec *spec, va_list *ap)
{
	switch (spec->length) {
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LONG_LONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void emit_conversion(struct out *out, const struct spec *spec,
                            va_list *ap)
{
	switch (spec->conversion) {
	case 'd':
	case 'i': {
		long long v = signed_arg(spec, ap);
		/* Negate in unsigned arithmetic: -LLONG_MIN overflows. */
		unsigned long long magnitude =
		        v < 0 ? -(unsigned long long)v : (unsigned long long)v;
		emit_integer(out, spec, magnitude, v < 0);
		break;
	}
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		emit_integer(out, spec, unsigned_arg(spec, ap), false);
		break;
	case 'p': {
		/* Pointers print as 0x and every hex digit of the address. */
		uintptr_t v = (uintptr_t)va_arg(*ap, void *);
		struct spec hex = {.conversion = 'x',
		                   .precision = (int)sizeof(void *) * 2,
		                   .width = spec->width,
		                   .left_align = spec->left_align};
		char digits[24];
		int n = to_digits(v, 16, false, digits);
		emit_field(out, &hex, "0x", hex.precision - n, digits, n);
		break;
	}
	case 's':
		emit_string(out, spec, va_arg(*ap, const char *));
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		struct spec text = *spec;
		text.zero_pad = false;
		emit_field(out, &text, "", 0, &c, 1);
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
		p = parse_spec(p + 1, &spec, &args);
		emit_conversion(&out, &spec, &args);
		if (!*p)
			break;
	}
	va_end(args);
	return out.count;
}

/* format_vsnprintf's target: what fits in buf, and how much was asked. */
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
