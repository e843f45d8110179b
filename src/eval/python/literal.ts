/** A value `ast.literal_eval` can produce from the judge texts we parse. */
export type PythonLiteral =
  string | number | boolean | null | PythonLiteral[] | { [key: string]: PythonLiteral };

/** Thrown by {@link parsePythonLiteral} when the text is not a Python literal. */
export class PythonLiteralSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = "PythonLiteralSyntaxError";
  }
}

/**
 * A small `ast.literal_eval` for the literals judges write: dicts, lists, tuples (as arrays),
 * strings in single or double quotes (with escapes and implicit concatenation), ints, floats,
 * unary signs, `True`, `False` and `None`. Dict keys are stringified (FLASK keys are strings).
 * Anything else — names, calls, expressions — throws {@link PythonLiteralSyntaxError}, as
 * `literal_eval` raises `ValueError`, so callers reproduce upstream's failure handling.
 *
 * @example
 * ```ts
 * parsePythonLiteral("{'factuality': 4, 'readability': 'N/A'}");
 * // { factuality: 4, readability: "N/A" }
 * ```
 */
export function parsePythonLiteral(text: string): PythonLiteral {
  const parser = new LiteralParser(text);
  parser.skipSpace();
  const value = parser.value();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("unexpected trailing text");
  return value;
}

class LiteralParser {
  private position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  fail(message: string): never {
    throw new PythonLiteralSyntaxError(message, this.position);
  }

  skipSpace(): void {
    // Python tokenizes newlines inside brackets as whitespace; comments never appear in literals.
    while (!this.atEnd() && /[ \t\n\r\f\v]/.test(this.text[this.position] as string))
      this.position += 1;
    if (this.text.startsWith("\\\n", this.position)) {
      this.position += 2;
      this.skipSpace();
    }
  }

  value(): PythonLiteral {
    const character = this.text[this.position];
    if (character === "{") return this.dictionary();
    if (character === "[") return this.sequence("[", "]");
    if (character === "(") return this.sequence("(", ")");
    if (character === "'" || character === '"') return this.strings();
    if (character === "-" || character === "+") {
      this.position += 1;
      this.skipSpace();
      const operand = this.value();
      if (typeof operand !== "number") this.fail("a sign must be followed by a number");
      return character === "-" ? -operand : operand;
    }
    if (character !== undefined && /[0-9.]/.test(character)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position))?.[0];
    if (word === "True" || word === "False" || word === "None") {
      this.position += word.length;
      return word === "True" ? true : word === "False" ? false : null;
    }
    return this.fail(word ? `\`${word}\` is not a literal` : "expected a literal");
  }

  private dictionary(): { [key: string]: PythonLiteral } {
    const result: { [key: string]: PythonLiteral } = {};
    this.position += 1;
    this.skipSpace();
    while (this.text[this.position] !== "}") {
      const key = this.value();
      this.skipSpace();
      if (this.text[this.position] !== ":") this.fail("expected `:`");
      this.position += 1;
      this.skipSpace();
      result[typeof key === "string" ? key : JSON.stringify(key)] = this.value();
      this.skipSpace();
      if (this.text[this.position] === ",") {
        this.position += 1;
        this.skipSpace();
      } else if (this.text[this.position] !== "}") {
        this.fail("expected `,` or `}`");
      }
    }
    this.position += 1;
    return result;
  }

  private sequence(open: string, close: string): PythonLiteral[] {
    const result: PythonLiteral[] = [];
    this.position += open.length;
    this.skipSpace();
    while (this.text[this.position] !== close) {
      if (this.atEnd()) this.fail(`expected \`${close}\``);
      result.push(this.value());
      this.skipSpace();
      if (this.text[this.position] === ",") {
        this.position += 1;
        this.skipSpace();
      } else if (this.text[this.position] !== close) {
        this.fail(`expected \`,\` or \`${close}\``);
      }
    }
    this.position += 1;
    return result;
  }

  private number(): number {
    const match = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?/.exec(
      this.text.slice(this.position),
    );
    const literal = match?.[0] ?? "";
    if (literal === "" || literal === "." || !/\d/.test(literal)) this.fail("malformed number");
    // Python rejects leading zeros in non-zero decimal integers ("07").
    if (/^0\d/.test(literal) && !/[.eE]/.test(literal) && !/^0+$/.test(literal.replace(/_/g, ""))) {
      this.fail("leading zeros are not allowed in integers");
    }
    this.position += literal.length;
    if (/^[jJ]/.test(this.text.slice(this.position)))
      this.fail("complex numbers are not supported");
    return Number(literal.replace(/_/g, ""));
  }

  private strings(): string {
    let result = this.string();
    // Adjacent string literals concatenate ('a' 'b' == 'ab').
    for (;;) {
      const save = this.position;
      this.skipSpace();
      const next = this.text[this.position];
      if (next === "'" || next === '"') result += this.string();
      else {
        this.position = save;
        return result;
      }
    }
  }

  private string(): string {
    const quote = this.text[this.position] as string;
    const triple = this.text.startsWith(quote.repeat(3), this.position);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.position += delimiter.length;
    let result = "";
    for (;;) {
      if (this.atEnd()) this.fail("unterminated string");
      if (this.text.startsWith(delimiter, this.position)) {
        this.position += delimiter.length;
        return result;
      }
      const character = this.text[this.position] as string;
      if (character === "\n" && !triple) this.fail("unterminated string");
      if (character === "\\") {
        result += this.escape();
        continue;
      }
      result += character;
      this.position += 1;
    }
  }

  private escape(): string {
    const next = this.text[this.position + 1];
    this.position += 2;
    switch (next) {
      case "\n":
        return "";
      case "\\":
      case "'":
      case '"':
        return next;
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "a":
        return "\x07";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "v":
        return "\v";
      case "x":
        return this.codePoint(2);
      case "u":
        return this.codePoint(4);
      case "U":
        return this.codePoint(8);
      default:
        if (next !== undefined && /[0-7]/.test(next)) {
          const digits = /^[0-7]{1,3}/.exec(this.text.slice(this.position - 1))?.[0] ?? next;
          this.position += digits.length - 1;
          return String.fromCodePoint(parseInt(digits, 8));
        }
        // Unknown escapes keep their backslash in Python.
        return `\\${next ?? ""}`;
    }
  }

  private codePoint(digits: number): string {
    const hex = this.text.slice(this.position, this.position + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) this.fail("malformed escape");
    this.position += digits;
    return String.fromCodePoint(parseInt(hex, 16));
  }
}
