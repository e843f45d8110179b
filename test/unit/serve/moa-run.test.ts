import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { toLangChainMessage } from "../../../src/serve/moa-run.js";

describe("toLangChainMessage", () => {
  it("turns an assistant's tool_calls into the AIMessage's, arguments parsed", () => {
    const message = toLangChainMessage({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "c1", type: "function", function: { name: "w", arguments: '{"city":"Paris"}' } },
        { id: "c2", type: "function", function: { name: "x", arguments: "not json" } },
      ],
    });
    expect(message).toBeInstanceOf(AIMessage);
    expect((message as AIMessage).tool_calls).toEqual([
      { id: "c1", name: "w", args: { city: "Paris" }, type: "tool_call" },
      { id: "c2", name: "x", args: { input: "not json" }, type: "tool_call" },
    ]);
    expect(message.content).toBe("");
  });

  it("turns a tool message into a ToolMessage of its tool_call_id, and text parts into text", () => {
    const tool = toLangChainMessage({ role: "tool", tool_call_id: "c1", content: "18°C" });
    expect(tool).toBeInstanceOf(ToolMessage);
    expect((tool as ToolMessage).tool_call_id).toBe("c1");
    const user = toLangChainMessage({ role: "user", content: [{ type: "text", text: "hi" }] });
    expect(user).toBeInstanceOf(HumanMessage);
    expect(user.content).toBe("hi");
  });
});
