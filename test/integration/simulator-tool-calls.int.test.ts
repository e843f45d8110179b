import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/testing/index.js";

// The simulator's `callTools` behaviour over HTTP (JSON and SSE framing).
const TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, days: { type: "number" } },
        required: ["city", "days"],
      },
    },
  },
  { type: "function", function: { name: "other", parameters: { type: "object" } } },
];

describe("simulator callTools", () => {
  it("sends the call as JSON and as an SSE stream with finish reason tool_calls", async () => {
    const sim = await startSimulator({ models: { judge: { callTools: true } } });
    try {
      const post = (stream: boolean) =>
        fetch(`${sim.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "judge",
            stream,
            tools: TOOLS,
            messages: [{ role: "user", content: "Paris?" }],
          }),
        });
      const json = (await (await post(false)).json()) as {
        choices: { message: { tool_calls: unknown[] }; finish_reason: string }[];
      };
      expect(json.choices[0]!.finish_reason).toBe("tool_calls");
      expect(json.choices[0]!.message.tool_calls).toHaveLength(1);
      const sse = await (await post(true)).text();
      expect(sse).toContain('"tool_calls":[{"index":0');
      expect(sse).toContain('"finish_reason":"tool_calls"');
      expect(sse.trimEnd().endsWith("data: [DONE]")).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
