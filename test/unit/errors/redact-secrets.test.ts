import { afterEach, describe, expect, it } from "vitest";
import {
  clearRegisteredSecrets,
  redactError,
  redactSecrets,
  registerSecret,
} from "../../../src/errors/redact-secrets.js";
import { InsufficientProposalsError, ModelCallError } from "../../../src/errors/index.js";

const HEX_KEY = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a";

afterEach(() => clearRegisteredSecrets());

describe("redactSecrets with registered secrets", () => {
  it("masks a registered key of any shape, wherever it appears", () => {
    registerSecret(HEX_KEY);
    expect(redactSecrets(`Unauthorized: credential ${HEX_KEY} is not valid`)).toBe(
      "Unauthorized: credential *** is not valid",
    );
  });

  it.each([
    ["its first 20 characters", HEX_KEY.slice(0, 20)],
    ["a middle run of 12", HEX_KEY.slice(30, 42)],
    ["its last 16", HEX_KEY.slice(-16)],
  ])("masks %s", (_, fragment) => {
    registerSecret(HEX_KEY);
    const masked = redactSecrets(`token ${fragment}… was revoked`);
    expect(masked).toBe("token ***… was revoked");
  });

  it("leaves text alone when no registered secret is in it, and ignores short values", () => {
    registerSecret("ollama");
    registerSecret(undefined);
    registerSecret(HEX_KEY);
    expect(redactSecrets("ollama answered in 12 ms; sha 3f9a1c7e")).toBe(
      "ollama answered in 12 ms; sha 3f9a1c7e",
    );
  });

  it("still masks key shapes nobody registered", () => {
    expect(redactSecrets("Incorrect API key provided: tgp_v1_abcdefgh")).toBe(
      "Incorrect API key provided: ***",
    );
  });
});

describe("redactError", () => {
  it("redacts message, stack and the parsed body in place, keeping the type and fields", () => {
    registerSecret(HEX_KEY);
    class AuthenticationError extends Error {
      status = 401;
      error = { message: `bad key ${HEX_KEY}`, code: "invalid_api_key" };
    }
    const error = new AuthenticationError(`401 bad key ${HEX_KEY}`);
    expect(redactError(error)).toBe(error);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.message).toBe("401 bad key ***");
    expect(error.stack).not.toContain(HEX_KEY);
    expect(error.error).toEqual({ message: "bad key ***", code: "invalid_api_key" });
  });
});

describe("typed errors", () => {
  it("never carry a registered key in their message or fields", () => {
    registerSecret(HEX_KEY);
    const modelError = new ModelCallError({
      role: "aggregator",
      modelId: "qwen",
      message: `rejected ${HEX_KEY}`,
    });
    expect(modelError.message).toBe("aggregator qwen: rejected ***");
    const quorum = new InsufficientProposalsError({
      layer: 1,
      succeeded: 0,
      required: 1,
      failures: [{ proposerId: "qwen", sample: 0, error: `rejected ${HEX_KEY}` }],
    });
    expect(quorum.message).not.toContain(HEX_KEY);
    expect(quorum.failures[0]!.error).toBe("rejected ***");
  });
});
