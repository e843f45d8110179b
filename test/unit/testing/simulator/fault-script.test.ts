import { describe, expect, it } from "vitest";
import {
  describeFaultProblem,
  faultForCall,
  type FaultScript,
} from "../../../../src/testing/simulator/fault-script.js";
import type { SimulatorRequestInfo } from "../../../../src/testing/simulator/request-info.js";

const request = { model: "m" } as SimulatorRequestInfo;

describe("faultForCall", () => {
  it("applies array entry i to call i; holes, null and calls past the end are normal", () => {
    const script: FaultScript = [{ kind: "hang" }, undefined, null, { kind: "empty" }];
    expect([0, 1, 2, 3, 4].map((call) => faultForCall(script, call, request))).toEqual([
      { kind: "hang" },
      undefined,
      undefined,
      { kind: "empty" },
      undefined,
    ]);
  });

  it("asks a function with the call index and the request", () => {
    const seen: Array<[number, string]> = [];
    const script: FaultScript = (call, info) => {
      seen.push([call, info.model]);
      return call % 2 === 1 ? { kind: "status", status: 500 } : null;
    };
    expect(faultForCall(script, 0, request)).toBeUndefined();
    expect(faultForCall(script, 1, request)).toEqual({ kind: "status", status: 500 });
    expect(seen).toEqual([
      [0, "m"],
      [1, "m"],
    ]);
  });

  it("is undefined without a script", () => {
    expect(faultForCall(undefined, 0, request)).toBeUndefined();
  });
});

describe("describeFaultProblem", () => {
  it.each([
    [{ kind: "status", status: 429, retryAfterSeconds: 2 }],
    [{ kind: "status", status: 503, message: "busy" }],
    [{ kind: "context-length" }],
    [{ kind: "hang" }],
    [{ kind: "stall", afterTokens: 0 }],
    [{ kind: "malformed-json" }],
    [{ kind: "empty" }],
    [{ kind: "delay", ms: 50 }],
  ])("accepts %j", (fault) => {
    expect(describeFaultProblem(fault)).toBeUndefined();
  });

  it.each([
    ["boom", /object with a `kind`/],
    [{ kind: "status", status: 200 }, /between 400 and 599/],
    [{ kind: "status", status: 429, retryAfterSeconds: -1 }, /retryAfterSeconds/],
    [{ kind: "stall", afterTokens: 1.5 }, /afterTokens/],
    [{ kind: "delay" }, /ms/],
    [{ kind: "explode" }, /unknown fault kind "explode"/],
  ])("rejects %j", (fault, message) => {
    expect(describeFaultProblem(fault)).toMatch(message);
  });
});
