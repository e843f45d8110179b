/** What a masked secret is replaced with. */
export const REDACTED = "***";

/**
 * Registered values shorter than this are ignored: masking `x` or `ollama` everywhere would
 * mangle ordinary text, and keys that short protect nothing anyway.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * A run of this many characters of a registered secret is masked wherever it appears, so a key
 * a provider echoes in part (cut at a length limit, or split by its own masking) leaks nothing
 * either. Twelve random characters never occur in ordinary text by chance.
 */
export const SECRET_FRAGMENT_LENGTH = 12;

/** Every registered secret, with its fragments of {@link SECRET_FRAGMENT_LENGTH} characters. */
const secrets = new Map<string, ReadonlySet<string>>();

/**
 * Registers the values of the credentials this process holds (provider keys, judge keys, …) so
 * {@link redactSecrets} masks them in every error text, whatever their shape. The edges call it:
 * `loadChatModel` with each key it hands a client, the CLI and `graphs/` with the keys in their
 * environment. Values shorter than {@link MIN_SECRET_LENGTH} characters and `undefined` are
 * ignored; registering a value twice is harmless.
 *
 * @example
 * ```ts
 * registerSecret(process.env.TOGETHER_API_KEY);
 * redactSecrets(`invalid key ${process.env.TOGETHER_API_KEY}`); // "invalid key ***"
 * ```
 */
export function registerSecret(value: string | undefined): void {
  const secret = value?.trim();
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
  const fragments = new Set<string>();
  for (let start = 0; start + SECRET_FRAGMENT_LENGTH <= secret.length; start += 1) {
    fragments.add(secret.slice(start, start + SECRET_FRAGMENT_LENGTH));
  }
  secrets.set(secret, fragments);
}

/**
 * Masks credentials in a text: every registered secret ({@link registerSecret}) and every run of
 * {@link SECRET_FRAGMENT_LENGTH} characters of one, then the known key shapes (`sk-…`, `gsk_…`,
 * Bearer tokens, `api key provided: …`). Every error text goes through it before it is stored,
 * traced, printed or thrown.
 *
 * @example
 * ```ts
 * redactSecrets("Incorrect API key provided: sk-proj-abcdefghij1234"); // "Incorrect API key provided: ***"
 * ```
 */
export function redactSecrets(text: string): string {
  let masked = text;
  for (const [secret, fragments] of secrets) {
    masked = masked.split(secret).join(REDACTED);
    masked = maskFragments(masked, fragments);
  }
  return (
    masked
      .replace(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/g, `Bearer ${REDACTED}`)
      .replace(/\b(sk|gsk|tgp|pk|rk)[-_][A-Za-z0-9._-]{8,}/g, `$1-${REDACTED}`)
      // "Incorrect API key provided: <key>", "api_key=<key>", "x-api-key: <key>": whatever the key's shape.
      .replace(/(api[ _-]?key(?: provided)?\s*[:=]\s*)[^\s,;"')]{6,}/gi, `$1${REDACTED}`)
  );
}

/**
 * Redacts an error in place, so it can be rethrown with its type and fields intact (status,
 * headers, `retryAfterMs`, …): its message and stack, and every string it carries up to four
 * objects deep (the provider's parsed error body, its causes). Returns the same error.
 *
 * @example
 * ```ts
 * catch (error) { throw redactError(error); }
 * ```
 */
export function redactError<T>(error: T): T {
  if (typeof error === "object" && error !== null) scrub(error, 0, new WeakSet());
  return error;
}

function scrub(value: object, depth: number, seen: WeakSet<object>): void {
  if (seen.has(value)) return;
  seen.add(value);
  for (const key of Object.getOwnPropertyNames(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !("value" in descriptor)) continue;
    const field: unknown = descriptor.value;
    if (typeof field === "string") {
      const redacted = redactSecrets(field);
      if (redacted !== field && descriptor.writable) {
        (value as Record<string, unknown>)[key] = redacted;
      }
    } else if (typeof field === "object" && field !== null && depth < 4) {
      scrub(field, depth + 1, seen);
    }
  }
  // V8 computes `stack` lazily behind an accessor on some versions: redact it by assignment.
  if (value instanceof Error && typeof value.stack === "string") {
    const redacted = redactSecrets(value.stack);
    if (redacted !== value.stack) value.stack = redacted;
  }
}

/** Masks every run of a secret's fragments in `text` (overlapping runs merge into one mask). */
function maskFragments(text: string, fragments: ReadonlySet<string>): string {
  if (fragments.size === 0 || text.length < SECRET_FRAGMENT_LENGTH) return text;
  let result = "";
  let copiedUpTo = 0;
  let maskedUpTo = -1;
  for (let start = 0; start + SECRET_FRAGMENT_LENGTH <= text.length; start += 1) {
    if (!fragments.has(text.slice(start, start + SECRET_FRAGMENT_LENGTH))) continue;
    if (start > maskedUpTo) {
      result += text.slice(copiedUpTo, start) + REDACTED;
    }
    maskedUpTo = start + SECRET_FRAGMENT_LENGTH;
    copiedUpTo = maskedUpTo;
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

/** @internal Forgets every registered secret (tests only). */
export function clearRegisteredSecrets(): void {
  secrets.clear();
}
