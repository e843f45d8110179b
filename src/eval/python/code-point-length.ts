/**
 * Length of a string in Unicode code points, i.e. Python's `len(text)` (JavaScript's
 * `text.length` counts UTF-16 units, so characters outside the BMP would count twice).
 * AlpacaEval's length features and `avg_length` are defined on Python lengths.
 */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    // A high surrogate followed by a low surrogate is one code point.
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length -= 1;
        index += 1;
      }
    }
  }
  return length;
}
