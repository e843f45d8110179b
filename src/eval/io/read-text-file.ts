import { readFile } from "node:fs/promises";
import { EvalDataError } from "../eval-data-error.js";

/** Reads a UTF-8 data file; a file that cannot be read is an {@link EvalDataError}. */
export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new EvalDataError({ file, message: "cannot be read", cause: error });
  }
}
