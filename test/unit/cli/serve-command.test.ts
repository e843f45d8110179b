import { describe, expect, it } from "vitest";
import { checkServeFlags, type ServeFlags } from "../../../src/cli/serve-command.js";

const flags = (overrides: Partial<ServeFlags>): ServeFlags => ({
  host: "127.0.0.1",
  port: "8000",
  maxConcurrency: "4",
  ...overrides,
});

describe("checkServeFlags", () => {
  it("accepts loopback hosts without a key and reads the key from the named variable", () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      expect(checkServeFlags(flags({ host }), {})).toEqual({ port: 8000, maxConcurrency: 4 });
    }
    expect(
      checkServeFlags(flags({ host: "0.0.0.0", apiKeyEnv: "K" }), { K: "secret-value" }),
    ).toMatchObject({
      apiKey: "secret-value",
    });
  });

  it.each([
    [{ port: "http" }, "--port"],
    [{ port: "70000" }, "--port"],
    [{ maxConcurrency: "0" }, "--max-concurrency"],
    [{ maxConcurrency: "1.5" }, "--max-concurrency"],
    [{ apiKeyEnv: "UNSET" }, "--api-key-env"],
    [{ host: "192.168.1.10" }, "--host"],
  ])("refuses %j naming %s (exit 2)", (overrides, flag) => {
    expect(() => checkServeFlags(flags(overrides), {})).toThrow(
      expect.objectContaining({ flag, exitCode: 2 }),
    );
  });
});
