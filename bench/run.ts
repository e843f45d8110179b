/**
 * The benchmark suite: `npm run bench` runs all, `npm run bench -- p1 p3` some.
 *
 * Options: `--runs N` (measured repetitions per benchmark; the figures are medians; default 5,
 * P3 3 since each of its runs is a whole 805-instruction batch),
 * `--wait-quiet` (before each benchmark, wait up to 10 minutes for the 1-minute load average to
 * drop below 1.5), `--tsx` (run the benchmarks under the tsx loader instead of bundled),
 * `--node PATH` (run the benchmark processes, and the simulator they start, on another Node.js
 * binary; bundled only).
 *
 * Each benchmark runs in a process of its own (a fresh heap, its own peak-RSS high-water mark).
 * By default it is bundled first with esbuild — the transform tsx itself uses — and run on plain
 * `node`, so that the figures are the library's and not the TypeScript loader's (under tsx a
 * process carries ~75 MiB more RSS: the loader's worker thread and source maps).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeMachine, formatMachine, waitForQuietMachine } from "./lib/machine.js";
import { REPO_ROOT } from "./lib/paths.js";
import { formatReports, verdict, type BenchReport } from "./lib/report.js";
import { tsxImportArgs } from "./lib/simulator-process.js";

const BENCHMARKS: Record<string, string> = {
  p1: "p1-critical-path.ts",
  p2: "p2-orchestration-overhead.ts",
  p3: "p3-batch-throughput.ts",
  p4: "p4-time-to-first-token.ts",
  p5: "p5-evaluation-math.ts",
  p6: "p6-checkpointing-cost.ts",
};
const QUIET_LOAD = 1.5;
const RESULTS_DIRECTORY = join(REPO_ROOT, "bench", "results");

function parseArguments(argv: string[]) {
  const ids: string[] = [];
  let runs: number | undefined;
  let waitQuiet = false;
  let useTsx = false;
  let node: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--runs") runs = Number(argv[++index]);
    else if (argument === "--wait-quiet") waitQuiet = true;
    else if (argument === "--tsx") useTsx = true;
    else if (argument === "--node") node = argv[++index];
    else if (argument in BENCHMARKS) ids.push(argument);
    else {
      throw new Error(
        `unknown argument "${argument}": use benchmark ids (${Object.keys(BENCHMARKS).join(" ")}), --runs N, --wait-quiet, --tsx, --node PATH`,
      );
    }
  }
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) {
    throw new Error("`--runs` needs an integer ≥ 1");
  }
  if (node !== undefined && (node === "" || node.startsWith("--"))) {
    throw new Error("`--node` needs the path of a Node.js binary, e.g. --node ./node-v24/bin/node");
  }
  if (node !== undefined && useTsx)
    throw new Error("`--node` runs bundled benchmarks: drop `--tsx`");
  return { ids: ids.length > 0 ? ids : Object.keys(BENCHMARKS), runs, waitQuiet, useTsx, node };
}

/** The version a Node.js binary reports, or a clear error when it cannot be run. */
function nodeVersion(binary: string): string {
  try {
    return execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`\`--node ${binary}\` could not be run: ${(error as Error).message}`);
  }
}

/**
 * Bundles a benchmark (sources and bench code; packages stay external) for plain `node`, or
 * returns `undefined` when esbuild (installed with tsx, not a direct dependency) is missing.
 */
async function bundle(id: string): Promise<string | undefined> {
  let build: typeof import("esbuild").build;
  try {
    ({ build } = await import("esbuild"));
  } catch {
    return undefined;
  }
  const outfile = join(RESULTS_DIRECTORY, ".build", `${id}.mjs`);
  await build({
    entryPoints: [join(REPO_ROOT, "bench", BENCHMARKS[id]!)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return outfile;
}

async function runOne(
  id: string,
  runs: number | undefined,
  useTsx: boolean,
  node: string | undefined,
): Promise<BenchReport> {
  const jsonPath = join(RESULTS_DIRECTORY, ".build", `${id}.json`);
  const bundled = useTsx ? undefined : await bundle(id);
  if (!useTsx && bundled === undefined) log("esbuild not found: running under tsx instead");
  const underTsx = bundled === undefined;
  const script = bundled ?? join(REPO_ROOT, "bench", BENCHMARKS[id]!);
  const execArgv = underTsx ? tsxImportArgs() : [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      node ?? process.execPath,
      [...execArgv, script, ...(runs ? ["--runs", String(runs)] : []), "--json", jsonPath],
      { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] },
    );
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`benchmark ${id} exited with code ${code}`);
  const report = JSON.parse(readFileSync(jsonPath, "utf8")) as BenchReport;
  if (underTsx) report.notes.push("run under the tsx loader: RSS includes the loader's (~75 MiB)");
  return report;
}

const { ids, runs, waitQuiet, useTsx, node } = parseArguments(process.argv.slice(2));
mkdirSync(join(RESULTS_DIRECTORY, ".build"), { recursive: true });
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const machineAtStart = { ...describeMachine(), ...(node ? { node: nodeVersion(node) } : {}) };
log(formatMachine(machineAtStart));
const reports: BenchReport[] = [];
const loads: number[] = [];
let crashed = false;
for (const id of ids) {
  if (waitQuiet) {
    const { load1, quiet } = await waitForQuietMachine(QUIET_LOAD, 10 * 60_000, log);
    if (!quiet) log(`load still ${load1.toFixed(2)} after 10 minutes; measuring anyway`);
  }
  loads.push(describeMachine().load1);
  log(`${id}: ${BENCHMARKS[id]}…`);
  try {
    reports.push(await runOne(id, runs, useTsx, node));
  } catch (error) {
    crashed = true;
    log(String(error));
  }
}

const figures = reports.flatMap((report) => report.figures);
const judged = figures.filter((figure) => figure.target);
const met = judged.filter((figure) => verdict(figure) === "pass").length;
process.stdout.write(
  `\nmachine: ${formatMachine({ ...machineAtStart, load1: Math.max(...loads) })} (highest 1-minute load before a benchmark)\n` +
    `command: npm run bench -- ${process.argv.slice(2).join(" ")}`.trimEnd() +
    `\n\n${formatReports(reports)}\n\n${met} of ${judged.length} targets met\n`,
);
const resultFile = join(RESULTS_DIRECTORY, `${new Date().toISOString().replaceAll(":", "-")}.json`);
writeFileSync(
  resultFile,
  JSON.stringify({ machine: machineAtStart, loads, argv: process.argv.slice(2), reports }, null, 2),
);
log(`results written to ${resultFile}`);
process.exit(crashed ? 1 : 0);
