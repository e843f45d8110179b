import { describe, expect, it } from "vitest";
import { withCliRuntime } from "../../../src/cli/cli-runtime.js";
import { SIMULATED_API_KEY } from "../../../src/cli/simulated-environment.js";
import { captureCliIo } from "../../support/cli-io.js";

describe("withCliRuntime", () => {
  it("runs the body on io.env with no simulator, banner or store when none is asked for", async () => {
    const cli = captureCliIo({ OPENAI_API_KEY: "sk-real" });
    const seen = await withCliRuntime({ banner: () => "never\n" }, cli.io, async (runtime) => {
      return runtime;
    });
    expect(seen.env).toBe(cli.io.env);
    expect(seen.store).toBeUndefined();
    expect(cli.err()).toBe("");
  });

  it("points the environment at a started simulator and prints its banner", async () => {
    const cli = captureCliIo({});
    let url = "";
    const seenUrl = await withCliRuntime(
      {
        simulation: { defaultModel: {} },
        banner: (simulatorUrl) => {
          url = simulatorUrl;
          return `SIMULATED at ${simulatorUrl}\n`;
        },
      },
      cli.io,
      async ({ env }) => {
        expect(Object.values(env)).toContain(`${url}/v1`);
        expect(Object.values(env)).toContain(SIMULATED_API_KEY);
        return url;
      },
    );
    expect(seenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.err()).toBe(`SIMULATED at ${url}\n`);
  });
});
