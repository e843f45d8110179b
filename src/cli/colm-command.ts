import type { Command } from "commander";
import type { CliIo } from "./cli-io.js";
import { registerColmDemoCommand } from "./colm-demo-command.js";

/** Registers `moa colm`: Co-LLM, token-level deferral from a base model to an assistant. */
export function registerColmCommand(program: Command, io: CliIo): void {
  const colm = program
    .command("colm")
    .description(
      "Co-LLM (Shen et al., ACL 2024): a base model writes, a learned switch on its hidden state defers single tokens to an assistant model",
    );
  registerColmDemoCommand(colm, io);
}
