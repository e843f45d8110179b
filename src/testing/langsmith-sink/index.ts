/**
 * A loopback stand-in for the LangSmith API that records traces, so tests can check run trees,
 * names, tags, metadata and token usage — and that no secret is sent — without a network.
 *
 * @module
 */
export {
  startLangSmithSink,
  type LangSmithSink,
  type LangSmithSinkOptions,
  type LangSmithSinkRequest,
} from "./start-langsmith-sink.js";
export { applyRunOperation, runMetadata, type RunOperation, type SinkRun } from "./sink-run.js";
export { buildRunTree, flattenRunTree, formatRunTree, type SinkRunNode } from "./run-tree.js";
export { multipartBoundary, parseMultipart, type MultipartPart } from "./parse-multipart.js";
