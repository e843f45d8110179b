import { createHash } from "node:crypto";

/**
 * SHA-256 (hex) of a JSON value in canonical form (object keys sorted, no whitespace), so equal
 * content always hashes the same regardless of key order. Used as the judgment cache key.
 *
 * @example
 * ```ts
 * contentHash({ b: 1, a: [2] }) === contentHash({ a: [2], b: 1 }); // true
 * ```
 */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** JSON with object keys sorted recursively; `undefined` members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) sorted[key] = sortKeys(source[key]);
    return sorted;
  }
  return value;
}
