import { GraphInterrupt, ParentCommand, Command } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { describeError, isControlFlowError } from "../../../src/graph/control-flow.js";
import { redactSecrets } from "../../../src/errors/redact-secrets.js";

describe("isControlFlowError", () => {
  const aborted = () => {
    const controller = new AbortController();
    controller.abort();
    return controller.signal;
  };

  it.each<[string, unknown, AbortSignal | undefined, boolean]>([
    ["a GraphInterrupt", new GraphInterrupt([{ value: "ask", id: "1" }]), undefined, true],
    ["a ParentCommand", new ParentCommand(new Command({ goto: "x" })), undefined, true],
    ["any error once the run is aborted", new Error("AbortError"), aborted(), true],
    ["a provider error", new Error("500"), new AbortController().signal, false],
    [
      "an error named like an interrupt but not bubbling up",
      Object.assign(new Error("x"), { name: "GraphInterrupt" }),
      undefined,
      false,
    ],
    ["a thrown string", "boom", undefined, false],
    ["undefined", undefined, undefined, false],
  ])("%s → %s", (_, error, signal, expected) => {
    expect(isControlFlowError(error, signal)).toBe(expected);
  });
});

describe("describeError", () => {
  it.each<[unknown, string]>([
    [new Error("plain"), "plain"],
    [new TypeError("typed"), "TypeError: typed"],
    [new Error("first line\nsecond line"), "first line"],
    ["a string", "a string"],
    [42, "42"],
    [new Error("x".repeat(600)), "x".repeat(500)],
    [new Error("Authorization: Bearer abc.def-ghi_jkl012"), "Authorization: Bearer ***"],
  ])("describes %s as %j", (error, expected) => {
    expect(describeError(error)).toBe(expected);
  });
});

describe("redactSecrets", () => {
  it.each<[string, string]>([
    ["key sk-proj-abcdefghij1234", "key sk-***"],
    ["groq gsk_abcdefghijklmnop", "groq gsk-***"],
    ["Bearer eyJhbGciOiJIUzI1NiJ9.payload", "Bearer ***"],
    ["no secrets here, sk-short", "no secrets here, sk-short"],
    ["task-1234567890 is not a key", "task-1234567890 is not a key"],
  ])("redacts %j", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});
