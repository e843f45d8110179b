// `moa models pull` against a loopback hub that behaves like Hugging Face: /resolve/ answers
// with a redirect carrying X-Linked-Etag (the file's SHA-256) and X-Linked-Size, and the
// "CDN" serves the bytes with HTTP Range support. The served file is a generated toy model.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { captureCliIo } from "../support/cli-io.js";
import { ModelDownloadError } from "../../src/local/model-download-error.js";
import { pullModel } from "../../src/local/pull-model.js";
import { createToyModel } from "../../src/local/toy-model.js";

const FILE = createToyModel({ name: "hub-toy", reply: "Downloaded and verified." }).bytes;
const SHA256 = createHash("sha256").update(FILE).digest("hex");
const REFERENCE = "acme/toy-GGUF/hub-toy.Q8_0.gguf";

interface HubBehaviour {
  /** Close the connection after this many bytes of the body (once). */
  cutAfterBytes?: number;
  /** Advertise this SHA-256 instead of the real one. */
  advertisedSha256?: string;
  /** Send no X-Linked-Etag and a non-SHA ETag. */
  noChecksum?: boolean;
  /** Ignore Range headers. */
  ignoreRange?: boolean;
  /** Require this bearer token on /resolve/. */
  token?: string;
}

let server: Server;
let cdn: Server;
let hubUrl: string;
let cdnUrl: string;
let behaviour: HubBehaviour = {};
const requests: { url: string; range?: string; authorization?: string }[] = [];

function handle(request: IncomingMessage, response: ServerResponse) {
  requests.push({
    url: request.url!,
    range: request.headers.range,
    authorization: request.headers.authorization,
  });
  if (request.url === `/acme/toy-GGUF/resolve/main/hub-toy.Q8_0.gguf`) {
    if (behaviour.token && request.headers.authorization !== `Bearer ${behaviour.token}`) {
      response.writeHead(401).end("unauthorized");
      return;
    }
    response.writeHead(302, {
      // Another origin, as Hugging Face's CDN is.
      location: `${cdnUrl}/cdn/blob/abc123?signature=xyz`,
      ...(behaviour.noChecksum
        ? {}
        : {
            "x-linked-etag": `"${behaviour.advertisedSha256 ?? SHA256}"`,
            "x-linked-size": String(FILE.length),
          }),
    });
    response.end();
    return;
  }
  if (request.url?.startsWith("/cdn/blob/abc123")) {
    const etag = behaviour.noChecksum ? '"v1-not-a-sha"' : `"${SHA256}"`;
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
    const start = match && !behaviour.ignoreRange ? Number(match[1]) : 0;
    if (start >= FILE.length && match && !behaviour.ignoreRange) {
      response.writeHead(416, { "content-range": `bytes */${FILE.length}` }).end();
      return;
    }
    const body = FILE.subarray(start);
    response.writeHead(start > 0 ? 206 : 200, {
      "content-length": String(body.length),
      "accept-ranges": "bytes",
      etag,
      ...(start > 0 ? { "content-range": `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
    });
    const cut = behaviour.cutAfterBytes;
    if (cut !== undefined) {
      behaviour.cutAfterBytes = undefined;
      response.write(body.subarray(0, cut), () => response.destroy());
      return;
    }
    response.end(body);
    return;
  }
  response.writeHead(404).end("not found");
}

let directory: string;

beforeAll(async () => {
  server = createServer(handle);
  cdn = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => cdn.listen(0, "127.0.0.1", resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => cdn.close(() => resolve()));
});

beforeEach(() => {
  behaviour = {};
  requests.length = 0;
  directory = mkdtempSync(join(tmpdir(), "moa-pull-"));
  return () => rmSync(directory, { recursive: true, force: true });
});

const target = () => join(directory, "acme", "toy-GGUF", "hub-toy.Q8_0.gguf");

async function failure(run: Promise<unknown>): Promise<ModelDownloadError> {
  try {
    await run;
  } catch (error) {
    if (ModelDownloadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a ModelDownloadError");
}

describe("pullModel", () => {
  it("follows the hub's redirect, verifies X-Linked-Etag and reports progress", async () => {
    const progress: number[] = [];
    const pulled = await pullModel({
      reference: REFERENCE,
      directory,
      hubUrl,
      onProgress: ({ receivedBytes, totalBytes }) => {
        expect(totalBytes).toBe(FILE.length);
        progress.push(receivedBytes);
      },
    });
    expect(pulled).toEqual({
      name: "acme/toy-GGUF/hub-toy.Q8_0",
      path: target(),
      sizeBytes: FILE.length,
      sha256: SHA256,
      verifiedAgainst: "server",
      resumedFromBytes: 0,
      downloaded: true,
    });
    expect(Buffer.from(readFileSync(target())).equals(Buffer.from(FILE))).toBe(true);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(FILE.length);
    expect(existsSync(`${target()}.partial`)).toBe(false);
    expect(requests.map((request) => request.url.split("?")[0])).toEqual([
      "/acme/toy-GGUF/resolve/main/hub-toy.Q8_0.gguf",
      "/cdn/blob/abc123",
    ]);

    // Cached: nothing is fetched again.
    requests.length = 0;
    const again = await pullModel({ reference: REFERENCE, directory, hubUrl });
    expect(again).toMatchObject({ downloaded: false, sha256: SHA256 });
    expect(requests).toEqual([]);
  });

  it("resumes a broken download with a Range request", async () => {
    behaviour.cutAfterBytes = 100_000;
    const broken = await failure(pullModel({ reference: REFERENCE, directory, hubUrl }));
    expect(broken).toMatchObject({ reason: "network", keptBytes: 100_000 });
    expect(broken.message).toMatch(/broke after 100000 bytes .* Run the same pull again to resume/);
    expect(statSync(`${target()}.partial`).size).toBe(100_000);

    requests.length = 0;
    const pulled = await pullModel({ reference: REFERENCE, directory, hubUrl });
    expect(pulled).toMatchObject({ resumedFromBytes: 100_000, verifiedAgainst: "server" });
    expect(requests.map((request) => request.range)).toEqual(["bytes=100000-", "bytes=100000-"]);
    expect(createHash("sha256").update(readFileSync(target())).digest("hex")).toBe(SHA256);
  });

  it("starts over when the server ignores the range", async () => {
    behaviour.cutAfterBytes = 50_000;
    await failure(pullModel({ reference: REFERENCE, directory, hubUrl }));
    behaviour.ignoreRange = true;
    const pulled = await pullModel({ reference: REFERENCE, directory, hubUrl });
    expect(pulled).toMatchObject({ resumedFromBytes: 0, sizeBytes: FILE.length, sha256: SHA256 });
  });

  it("finishes a download whose bytes were all there (416)", async () => {
    mkdirSync(join(directory, "acme", "toy-GGUF"), { recursive: true });
    writeFileSync(`${target()}.partial`, FILE);
    const pulled = await pullModel({ reference: REFERENCE, directory, hubUrl });
    expect(pulled).toMatchObject({
      resumedFromBytes: FILE.length,
      sha256: SHA256,
      downloaded: true,
    });
  });

  it("deletes bytes whose SHA-256 differs from the hub's and says so", async () => {
    behaviour.advertisedSha256 = "0".repeat(64);
    const error = await failure(pullModel({ reference: REFERENCE, directory, hubUrl }));
    expect(error.reason).toBe("checksum");
    expect(error.message).toMatch(new RegExp(`SHA-256 is ${SHA256}, but the hub says 0{64}`));
    expect(existsSync(`${target()}.partial`)).toBe(false);
    expect(existsSync(target())).toBe(false);
  });

  it("checks --sha256 when given, also against a cached file", async () => {
    behaviour.noChecksum = true;
    const unverified = await pullModel({ reference: REFERENCE, directory, hubUrl });
    expect(unverified.verifiedAgainst).toBeUndefined();
    const cached = await pullModel({ reference: REFERENCE, directory, hubUrl, sha256: SHA256 });
    expect(cached).toMatchObject({ downloaded: false, verifiedAgainst: "flag" });
    const wrong = await failure(
      pullModel({ reference: REFERENCE, directory, hubUrl, sha256: "f".repeat(64) }),
    );
    expect(wrong.reason).toBe("checksum");
    expect(wrong.message).toMatch(/Pull it again with `--force`/);
    const forced = await pullModel({
      reference: REFERENCE,
      directory,
      hubUrl,
      sha256: SHA256.toUpperCase(),
      force: true,
    });
    expect(forced).toMatchObject({ downloaded: true, verifiedAgainst: "flag" });
  });

  it("sends the token to the hub only, never to the CDN", async () => {
    behaviour.token = "hf_secret";
    const refused = await failure(pullModel({ reference: REFERENCE, directory, hubUrl }));
    expect(refused).toMatchObject({ reason: "unauthorized", status: 401 });
    expect(refused.message).toMatch(/set HF_TOKEN/);
    requests.length = 0;
    await pullModel({ reference: REFERENCE, directory, hubUrl, token: "hf_secret" });
    expect(requests.map((request) => request.authorization)).toEqual([
      "Bearer hf_secret",
      undefined,
    ]);
  });

  it("reports a missing file and an unreachable hub", async () => {
    const missing = await failure(
      pullModel({ reference: "acme/toy-GGUF/other.gguf", directory, hubUrl }),
    );
    expect(missing).toMatchObject({ reason: "not-found", status: 404 });
    const unreachable = await failure(
      pullModel({ reference: REFERENCE, directory, hubUrl: "http://127.0.0.1:9" }),
    );
    expect(unreachable.reason).toBe("network");
    expect(unreachable.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});

describe("moa models pull", () => {
  const io = captureCliIo;

  it("downloads from $MOA_HUB_URL into $MOA_MODELS_DIR with progress, then lists it", async () => {
    const env = { MOA_MODELS_DIR: directory, MOA_HUB_URL: hubUrl };
    const cli = io(env);
    expect(await runCli(["models", "pull", REFERENCE], cli.io)).toBe(0);
    expect(cli.err()).toMatch(/hub-toy\.Q8_0\.gguf: 100% · 0\.\d\/0\.\d MB/);
    expect(cli.out()).toContain(`Downloaded ${target()}`);
    expect(cli.out()).toContain(`sha256 ${SHA256} (SHA-256 verified against the hub)`);
    expect(cli.out()).toContain("Use it as local:acme/toy-GGUF/hub-toy.Q8_0");

    const list = io(env);
    expect(await runCli(["models", "list"], list.io)).toBe(0);
    expect(list.out()).toMatch(/local:acme\/toy-GGUF\/hub-toy\.Q8_0\s+0\.\d MB {2}toy weights/);
  });

  it("exits 1 with the reason when the download fails", async () => {
    behaviour.advertisedSha256 = "1".repeat(64);
    const cli = io({ MOA_MODELS_DIR: directory, MOA_HUB_URL: hubUrl });
    expect(await runCli(["models", "pull", REFERENCE], cli.io)).toBe(1);
    expect(cli.err()).toMatch(/moa: the downloaded file's SHA-256 is/);
  });
});
