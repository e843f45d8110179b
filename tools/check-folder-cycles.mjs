#!/usr/bin/env node
/* global console, process -- a Node script; the lint config declares Node globals for TypeScript only */
/**
 * Folder-level import cycles: fails when a folder of src/ imports a sibling folder that imports
 * it back, directly or through other sibling folders (madge --circular only sees file cycles).
 *
 * Each import is seen at the level of the closest common parent of its two files, between the
 * entries (folder or file) of that parent holding them: `budget/run-spend.ts → graph/x.ts` is
 * `budget -> graph`, `graph/nodes/a.ts → graph/routers.ts` is `graph/nodes -> graph/routers.ts`.
 * A loop of such edges through at least one folder is a folder loop.
 *
 * Known loops are listed in an allow-list (default tools/folder-cycles.allow): one cycle per line,
 * `a -> b -> c`, with a comment naming the issue that removes it. A loop not listed fails, and so
 * does a listed loop that no longer exists (remove its line).
 *
 *   node tools/check-folder-cycles.mjs [--root src] [--allow tools/folder-cycles.allow]
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";

const MAX_CYCLES = 10_000;

function parseArgs(argv) {
  const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
  const options = { root: join(repo, "src"), allow: join(repo, "tools", "folder-cycles.allow") };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if ((flag !== "--root" && flag !== "--allow") || value === undefined) {
      throw new Error(`usage: check-folder-cycles.mjs [--root DIR] [--allow FILE] (got ${flag})`);
    }
    options[flag.slice(2)] = value;
  }
  return options;
}

/** Folder → folder edges (with one file import as the example), keyed "a\u0000b". */
function folderEdges(files) {
  const edges = new Map();
  for (const [from, imports] of Object.entries(files)) {
    for (const to of imports) {
      const a = from.split("/");
      const b = to.split("/");
      let common = 0;
      while (common < a.length - 1 && common < b.length - 1 && a[common] === b[common]) common += 1;
      // Two files of one folder: a file cycle, madge --circular's business.
      if (common === a.length - 1 && common === b.length - 1) continue;
      const key = `${a.slice(0, common + 1).join("/")}\u0000${b.slice(0, common + 1).join("/")}`;
      if (!edges.has(key)) edges.set(key, `${from} → ${to}`);
    }
  }
  return edges;
}

const isFolder = (entry) => !/\.[cm]?tsx?$/.test(entry);

/** Elementary cycles through at least one folder, each rotated to start at its smallest folder. */
function findCycles(edges) {
  const next = new Map();
  for (const key of edges.keys()) {
    const [a, b] = key.split("\u0000");
    if (!next.has(a)) next.set(a, []);
    next.get(a).push(b);
  }
  const nodes = [...next.keys()].sort();
  const cycles = [];
  for (const start of nodes) {
    // Cycles whose smallest folder is `start`: search only folders after it.
    const path = [start];
    const onPath = new Set(path);
    const walk = (node) => {
      for (const target of (next.get(node) ?? []).sort()) {
        if (target === start) {
          if (path.some(isFolder)) cycles.push([...path]);
          if (cycles.length > MAX_CYCLES) throw new Error(`more than ${MAX_CYCLES} folder cycles`);
        } else if (target > start && !onPath.has(target)) {
          path.push(target);
          onPath.add(target);
          walk(target);
          onPath.delete(target);
          path.pop();
        }
      }
    };
    walk(start);
  }
  return cycles;
}

function readAllowList(file) {
  const allowed = new Map();
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((raw, index) => {
      const line = raw.replace(/#.*/, "").trim();
      if (line === "") return;
      const folders = line.split("->").map((part) => part.trim());
      if (folders.length < 2 || folders.some((folder) => folder === "")) {
        throw new Error(`${file}:${index + 1}: write a cycle as "a -> b", got "${raw.trim()}"`);
      }
      if (folders.at(-1) === folders[0]) folders.pop();
      allowed.set(canonical(folders), `${file}:${index + 1}`);
    });
  return allowed;
}

/** The cycle rotated to start at its smallest folder, as "a -> b -> a". */
function canonical(folders) {
  const smallest = folders.indexOf([...folders].sort()[0]);
  const rotated = [...folders.slice(smallest), ...folders.slice(0, smallest)];
  return [...rotated, rotated[0]].join(" -> ");
}

const options = parseArgs(process.argv.slice(2));
const graph = await madge(options.root, { fileExtensions: ["ts"] });
const edges = folderEdges(graph.obj());
const cycles = findCycles(edges);
const allowed = readAllowList(options.allow);
const found = new Map(cycles.map((cycle) => [canonical(cycle), cycle]));
const describe = (cycle) =>
  cycle.map((folder, index) => {
    const target = cycle[(index + 1) % cycle.length];
    return `    ${folder} -> ${target}   (${edges.get(`${folder}\u0000${target}`)})`;
  });

const unknown = [...found].filter(([name]) => !allowed.has(name));
const stale = [...allowed].filter(([name]) => !found.has(name));
const known = [...found].filter(([name]) => allowed.has(name));
const root = relative(process.cwd(), options.root) || ".";
for (const [name] of known) console.log(`known folder loop (allow-listed): ${name}`);
for (const [name, cycle] of unknown) {
  console.error(`NEW folder loop in ${root}: ${name}`);
  console.error(describe(cycle).join("\n"));
}
for (const [name, where] of stale) {
  console.error(`allow-listed folder loop no longer exists: ${name} (remove ${where})`);
}
if (unknown.length > 0 || stale.length > 0) {
  if (unknown.length > 0) {
    console.error(
      "Break the new loop (move the shared code into the folder both depend on), or, if it is " +
        `known and tracked, add it to ${relative(process.cwd(), options.allow)} with the issue.`,
    );
  }
  process.exit(1);
}
console.log(
  `folder cycles: ${found.size === 0 ? "none" : `${found.size} known, none new`} ` +
    `(${edges.size} folder imports in ${root})`,
);
