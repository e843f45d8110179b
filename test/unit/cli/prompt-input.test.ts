import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPromptMessages } from "../../../src/cli/prompt-input.js";
import { captureCliIo } from "../../support/cli-io.js";

function ioWithStdin(text: string | undefined) {
  const { io } = captureCliIo();
  return text === undefined ? io : { ...io, readStdin: async () => text };
}

const turn = (messages: Awaited<ReturnType<typeof readPromptMessages>>) =>
  messages.map((message) => [message.getType(), message.content]);

describe("readPromptMessages", () => {
  it("takes the argument, with the --system prompt first", async () => {
    expect(
      turn(
        await readPromptMessages({ argument: "Hi", system: "Be brief." }, ioWithStdin(undefined)),
      ),
    ).toEqual([
      ["system", "Be brief."],
      ["human", "Hi"],
    ]);
  });

  it.each([{ argument: "-" }, { promptFile: "-" }])("reads stdin for %j", async (sources) => {
    expect(turn(await readPromptMessages(sources, ioWithStdin("from stdin\n")))).toEqual([
      ["human", "from stdin\n"],
    ]);
  });

  it("reads --prompt-file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "moa-prompt-")), "p.txt");
    writeFileSync(file, "from a file");
    expect(turn(await readPromptMessages({ promptFile: file }, ioWithStdin(undefined)))).toEqual([
      ["human", "from a file"],
    ]);
  });

  it.each([
    [{ argument: "" }, undefined, /the prompt is empty/, undefined],
    [{ argument: "-" }, " \n\t", /the prompt read from stdin is empty/, undefined],
    [{ promptFile: "-" }, "", /the prompt read from stdin is empty/, "--prompt-file"],
    [{ argument: "-" }, undefined, /no stdin to read/, undefined],
  ])("refuses %j (stdin %j) as a usage error", async (sources, stdin, message, flag) => {
    await expect(readPromptMessages(sources, ioWithStdin(stdin))).rejects.toMatchObject({
      message: expect.stringMatching(message),
      exitCode: 2,
      flag,
    });
  });
});
