import type { SimulatorRequestInfo } from "./request-info.js";

/** A tool call the simulator makes (OpenAI `tool_calls[i]` shape). */
export interface SyntheticToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

interface RequestTool {
  type?: string;
  function?: {
    name?: string;
    parameters?: { properties?: Record<string, { type?: string }>; required?: string[] };
  };
}

/**
 * With `callTools`, the simulator's tool-calling behaviour: a request that offers `tools` and
 * whose last message is the user's gets a call of the first tool, every required string argument
 * set to the user's text (`{"city":"Weather in Paris?"}`); after a tool result, or without
 * tools, `undefined` (the model answers in text as usual).
 *
 * @example
 * ```ts
 * syntheticToolCall(request)?.function; // { name: "get_weather", arguments: '{"city":"…"}' }
 * ```
 */
export function syntheticToolCall(request: SimulatorRequestInfo): SyntheticToolCall | undefined {
  const tools = Array.isArray(request.body.tools) ? (request.body.tools as RequestTool[]) : [];
  const first = tools[0]?.function;
  if (first?.name === undefined || request.messages.at(-1)?.role !== "user") return undefined;
  const args: Record<string, string> = {};
  const properties = first.parameters?.properties ?? {};
  for (const name of first.parameters?.required ?? []) {
    if (properties[name]?.type === "string") args[name] = request.lastUserMessage;
  }
  return {
    id: `call_${request.model}_${request.callIndex}`,
    type: "function",
    function: { name: first.name, arguments: JSON.stringify(args) },
  };
}
