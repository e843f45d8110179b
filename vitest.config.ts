import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          setupFiles: ["test/setup/no-network.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.int.test.ts"],
          setupFiles: ["test/setup/tracing-off.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration suites start real servers on loopback; run files one at a time so
          // two dev servers never compete for this 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
