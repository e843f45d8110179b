// Python's `str.isspace()` set, which `str.strip()` removes. It differs from JavaScript's
// `trim()`: Python also strips U+001C–U+001F and U+0085, and keeps U+FEFF.
const PYTHON_WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

/** True when `code` is whitespace for Python's `str.isspace()`. */
export function isPythonWhitespace(code: number): boolean {
  return PYTHON_WHITESPACE.has(code);
}

/**
 * Python's `str.strip()` without arguments: removes leading and trailing characters that Python
 * considers whitespace (all of them are in the Basic Multilingual Plane, so UTF-16 units suffice).
 */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PYTHON_WHITESPACE.has(text.charCodeAt(start))) start += 1;
  while (end > start && PYTHON_WHITESPACE.has(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
}
