/**
 * Running Mixture-of-Agents graphs on a LangGraph server (`langgraphjs dev`, LangGraph
 * Platform) instead of in-process: batches of stateless runs with bounded concurrency.
 *
 * @module
 */
export {
  runBatchOnServer,
  type BatchItemResult,
  type RunBatchOnServerParams,
} from "./run-batch-on-server.js";
