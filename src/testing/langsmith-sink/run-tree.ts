import type { SinkRun } from "./sink-run.js";

/** A run with its child runs, as LangSmith draws a trace. */
export interface SinkRunNode {
  run: SinkRun;
  /** Child runs in start order (by `dotted_order`, which encodes start time). */
  children: SinkRunNode[];
}

/**
 * Arranges runs into trees by `parent_run_id`: one root per trace (runs whose parent never
 * arrived become roots too, so nothing is hidden). Siblings are sorted by `dotted_order`.
 *
 * @example
 * ```ts
 * const [root] = buildRunTree(sink.runs);
 * root.children.map((child) => child.run.name); // ["turn", "propose", "propose", "layer", …]
 * ```
 */
export function buildRunTree(runs: readonly SinkRun[]): SinkRunNode[] {
  const nodes = new Map<string, SinkRunNode>();
  for (const run of runs) nodes.set(run.id, { run, children: [] });
  const roots: SinkRunNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.run.parent_run_id;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: SinkRunNode[]) => {
    list.sort((a, b) =>
      String(a.run.dotted_order ?? "").localeCompare(String(b.run.dotted_order ?? "")),
    );
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/**
 * Every run of a tree in depth-first order, with its depth (the root is 0) — handy for
 * printing a trace in a test failure message.
 *
 * @example
 * ```ts
 * for (const { run, depth } of flattenRunTree(tree)) console.log(`${"  ".repeat(depth)}${run.name}`);
 * ```
 */
export function flattenRunTree(
  roots: readonly SinkRunNode[],
): Array<{ run: SinkRun; depth: number; parent?: SinkRun }> {
  const flat: Array<{ run: SinkRun; depth: number; parent?: SinkRun }> = [];
  const visit = (node: SinkRunNode, depth: number, parent?: SinkRun) => {
    flat.push({ run: node.run, depth, parent });
    for (const child of node.children) visit(child, depth + 1, node.run);
  };
  for (const root of roots) visit(root, 0);
  return flat;
}

/**
 * A trace as indented text, one run per line (`name [run_type] tags`), for failure messages
 * and notebooks.
 *
 * @example
 * ```ts
 * console.log(formatRunTree(buildRunTree(sink.runs)));
 * // moa [chain]
 * //   turn [chain]
 * //   propose [chain]
 * //     layer 1 · a #0 [llm] moa:proposer moa:layer:1 …
 * ```
 */
export function formatRunTree(roots: readonly SinkRunNode[]): string {
  return flattenRunTree(roots)
    .map(({ run, depth }) => {
      const tags = (run.tags ?? []).filter((tag) => tag.startsWith("moa:")).join(" ");
      return `${"  ".repeat(depth)}${run.name ?? "(unnamed)"} [${run.run_type ?? "?"}]${tags ? ` ${tags}` : ""}`;
    })
    .join("\n");
}
