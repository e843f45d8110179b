#!/usr/bin/env node
// Fails when a committed notebook carries outputs or execution counts: notebooks are committed
// clean and executed fresh by notebooks/run-all.sh, so no stale output can mislead a reader.
// Usage: node notebooks/check-clean.mjs [notebook.ipynb …]   (default: every notebooks/*.ipynb)
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const directory = dirname(fileURLToPath(import.meta.url));
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(directory)
        .filter((name) => name.endsWith(".ipynb"))
        .sort()
        .map((name) => join(directory, name));

const problems = [];
for (const file of files) {
  let notebook;
  try {
    notebook = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    problems.push(`${file}: not valid JSON (${error.message})`);
    continue;
  }
  if (notebook.metadata?.kernelspec?.name !== "tslab") {
    problems.push(`${file}: kernelspec must be "tslab" (the TypeScript kernel), found ${JSON.stringify(notebook.metadata?.kernelspec?.name)}`);
  }
  (notebook.cells ?? []).forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    if ((cell.outputs ?? []).length > 0) problems.push(`${file}: cell ${index} has outputs`);
    if (cell.execution_count != null) problems.push(`${file}: cell ${index} has an execution count`);
  });
}

if (files.length === 0) {
  console.error("check-clean: no notebooks found");
  process.exit(1);
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(
    "\nCommit notebooks without outputs: jupyter nbconvert --clear-output --inplace notebooks/*.ipynb",
  );
  process.exit(1);
}
console.log(`check-clean: ${files.length} notebook(s) carry no outputs`);
