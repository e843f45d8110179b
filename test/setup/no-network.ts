// Unit tests must never touch the network: any fetch is a bug in the test or the code.
import { beforeAll } from "vitest";

beforeAll(() => {
  process.env.LANGSMITH_TRACING = "false";
  process.env.LANGCHAIN_TRACING_V2 = "false";
  globalThis.fetch = (input: unknown) => {
    throw new Error(
      `Unit tests may not use the network (fetch ${String(input)}). Use a fake model.`,
    );
  };
});
