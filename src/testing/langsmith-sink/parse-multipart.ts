/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  /** The `name` of the part's `Content-Disposition` header (`post.<run id>.inputs`). */
  name: string;
  /** The part's `Content-Type` header, if any. */
  contentType?: string;
  /** The part's bytes. */
  data: Buffer;
}

/**
 * The boundary of a `multipart/form-data` `Content-Type` header, or `undefined` when the
 * header is not a multipart one.
 *
 * @example
 * ```ts
 * multipartBoundary("multipart/form-data; boundary=----abc"); // "----abc"
 * ```
 */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * Splits a `multipart/form-data` body (RFC 7578) into its parts. Parts without a `name` are
 * skipped; a body that does not start with the boundary yields no parts. Part data is kept as
 * bytes, so binary attachments survive.
 *
 * @example
 * ```ts
 * const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="post.1"\r\n\r\n{}\r\n--b--\r\n');
 * parseMultipart(body, "b"); // [{ name: "post.1", data: <Buffer 7b 7d> }]
 * ```
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position !== 0) return parts;
  while (position !== -1) {
    const afterDelimiter = position + delimiter.length;
    // `--boundary--` closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString("latin1") === "--") break;
    const headersStart = afterDelimiter + 2; // skip CRLF
    const headersEnd = body.indexOf("\r\n\r\n", headersStart);
    if (headersEnd === -1) break;
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headersEnd + 4);
    if (next === -1) break;
    const headers = parseHeaders(body.subarray(headersStart, headersEnd).toString("utf8"));
    const name = dispositionName(headers.get("content-disposition"));
    if (name !== undefined) {
      parts.push({
        name,
        contentType: headers.get("content-type"),
        data: body.subarray(headersEnd + 4, next),
      });
    }
    position = next + 2; // the CRLF before the next delimiter belongs to the delimiter
  }
  return parts;
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionName(disposition: string | undefined): string | undefined {
  if (disposition === undefined) return undefined;
  const match = /;\s*name="([^"]*)"/i.exec(disposition) ?? /;\s*name=([^;\s]+)/i.exec(disposition);
  return match?.[1];
}
