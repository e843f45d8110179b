import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runCapturedCli } from "../support/cli-io.js";

// `moa serve` as a command: the flag checks in-process, and a spawned `moa serve --simulate`
// (bin/moa.js runs dist/: build first) that finishes an in-flight run after SIGTERM.
describe("moa serve (command)", () => {
  it("refuses a non-loopback --host without --api-key-env (exit 2, a clear message)", async () => {
    const result = await runCapturedCli(["serve", "--host", "0.0.0.0", "--port", "0"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/refusing to serve on 0\.0\.0\.0 without a key/);
    expect(result.err).toMatch(/--api-key-env/);
  });

  it("refuses --api-key-env naming an unset variable", async () => {
    const result = await runCapturedCli(["serve", "--api-key-env", "MOA_SERVE_KEY"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/MOA_SERVE_KEY is not set/);
  });

  it("serves --simulate behind the key, and on SIGTERM finishes the in-flight run before exiting 0", async () => {
    const key = "serve-test-key-0123456789";
    const child = spawn(
      process.execPath,
      ["bin/moa.js", "serve", "--simulate", "--port", "0", "--api-key-env", "MOA_SERVE_KEY"],
      {
        env: { PATH: process.env.PATH, LANGSMITH_TRACING: "false", MOA_SERVE_KEY: key },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (data: Buffer) => {
          stderr += data.toString();
          const match = /API at (http:\/\/\S+)\/v1/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.once("exit", () => reject(new Error(`moa serve exited: ${stderr}`)));
      });
      const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
      const models = await fetch(`${url}/v1/models`, { headers });
      expect(models.status).toBe(200);
      const completion = fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: "moa-lite", messages: [{ role: "user", content: "hi" }] }),
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      child.kill("SIGTERM");
      const response = await completion;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]!.message.content).toBeTruthy();
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/SIMULATED server/);
      expect(stderr).not.toContain(key);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
