import { InvalidArgumentError } from "../../errors/index.js";

/**
 * Fills a template the way Python's `str.format(**values)` does for plain named fields:
 * `{name}` becomes `values[name]`, `{{` and `}}` become literal braces, and the substituted
 * values are inserted verbatim (never re-parsed). FastChat and FLASK build their judge prompts
 * with `str.format`, so this is what makes our requests byte-identical to theirs.
 *
 * Conversions (`{name!r}`), format specs (`{name:>8}`), attribute and index lookups are not
 * used by any judge template and are rejected, as are unknown names (Python's `KeyError`) and
 * a lone `}` (Python's `ValueError`).
 *
 * @example
 * ```ts
 * formatPythonTemplate("[Question]\n{question}\n{{literal}}", { question: "2+2?" });
 * // "[Question]\n2+2?\n{literal}"
 * ```
 */
export function formatPythonTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  let result = "";
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf("{", index);
    const close = template.indexOf("}", index);
    if (open === -1 && close === -1) {
      result += template.slice(index);
      break;
    }
    if (close !== -1 && (open === -1 || close < open)) {
      // A `}` before any `{`: only legal when doubled.
      if (template[close + 1] !== "}") {
        throw templateError(
          template,
          "a single `}` is not allowed; write `}}` for a literal brace",
        );
      }
      result += template.slice(index, close) + "}";
      index = close + 2;
      continue;
    }
    result += template.slice(index, open);
    if (template[open + 1] === "{") {
      result += "{";
      index = open + 2;
      continue;
    }
    const end = template.indexOf("}", open + 1);
    if (end === -1)
      throw templateError(template, "a `{` is never closed; write `{{` for a literal brace");
    const field = template.slice(open + 1, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
      throw templateError(template, `the field \`{${field}}\` is not a plain name`);
    }
    if (!Object.prototype.hasOwnProperty.call(values, field)) {
      throw templateError(template, `no value was given for \`{${field}}\``);
    }
    result += String(values[field]);
    index = end + 1;
  }
  return result;
}

function templateError(template: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ parameter: "template", value: template.slice(0, 80), message });
}
