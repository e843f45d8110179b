import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";

// `moa sim` as a user runs it: the built binary, a free port, plain HTTP from another client,
// and Ctrl+C (SIGINT) to stop it.
describe("moa sim", () => {
  it("serves the OpenAI-compatible simulator on 127.0.0.1 until interrupted", async () => {
    const child = spawn(
      process.execPath,
      ["bin/moa.js", "sim", "--port", "0", "--latency-ms", "5"],
      {
        env: { PATH: process.env.PATH, LANGSMITH_TRACING: "false" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      let output = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (text: string) => {
          output += text;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) =>
          reject(new Error(`moa sim exited early (${code}): ${output}`)),
        );
      });
      expect(output).toMatch(/OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1/);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer anything" },
        body: JSON.stringify({ model: "demo", messages: [{ role: "user", content: "ping" }] }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        choices: { message: { content: string } }[];
        usage: object;
      };
      expect(body.choices[0]!.message.content).toMatch(/^\[sim:demo\] call=0/);
      expect(body.usage).toMatchObject({ prompt_tokens: expect.any(Number) });
      child.kill("SIGINT");
      const [code] = await once(child, "exit");
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
