import { describe, expect, it } from "vitest";
import { formatSseEvent, SSE_DONE } from "../../../../src/testing/simulator/sse.js";

describe("SSE framing", () => {
  it("frames objects as one JSON data line followed by a blank line", () => {
    expect(formatSseEvent({ choices: [], text: "a\nb" })).toBe(
      'data: {"choices":[],"text":"a\\nb"}\n\n',
    );
  });

  it("sends strings verbatim", () => {
    expect(formatSseEvent("{not json")).toBe("data: {not json\n\n");
  });

  it("ends streams with the [DONE] sentinel", () => {
    expect(SSE_DONE).toBe("data: [DONE]\n\n");
  });
});
