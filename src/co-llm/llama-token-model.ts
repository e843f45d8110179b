/**
 * {@link TokenModel} on node-llama-cpp (the embedded engine; an optional peer, imported on first
 * use). Each session owns a context with one sequence, so the KV cache follows the decode and
 * the hidden state read after a batch is always this session's.
 *
 * Hidden states: node-llama-cpp 3.22.x has no public per-step hidden state on a generative
 * context. `createContext({ _embeddings: true })` (private, used by its own
 * `LlamaEmbeddingContext`) makes llama.cpp keep the final-norm hidden state of every output
 * position next to its logits, and the private `context._ctx.getEmbedding(n)` returns the last
 * one of the last batch: one incremental decode gives logits and `h_t` together. Checked on
 * 3.22.1 (test/integration/co-llm-decode.int.test.ts compares it with the fixture's closed form);
 * a version without it fails loudly here rather than decoding without a gate.
 *
 * @module
 */
import { basename } from "node:path";
import type { BaseMessage } from "@langchain/core/messages";
import type {
  ChatWrapper,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { getLocalLlama, importLocalEngine, loadGgufModel } from "../local/local-engine.js";
import { toChatHistory } from "../local/to-chat-history.js";
import type { NextToken, TokenModel, TokenModelSession } from "./token-model.js";

/** Options of {@link loadLlamaTokenModel}. */
export interface LoadLlamaTokenModelOptions {
  /** Path of the GGUF file. */
  modelPath: string;
  /** The model's identity (gates record it). @default the GGUF `general.name`, else the file name */
  identity?: string;
  /**
   * Keep hidden states (needed by the base under a gate). Costs memory for the hidden state of
   * every output position. @default true
   */
  hiddenStates?: boolean;
  /**
   * CPU threads. @default 1 (on this project's 2-core test machine 2 threads fight Node's main
   * thread and run slower and unsteadily)
   */
  threads?: number;
  /** Tokens per sequence (prompt + generation). @default up to 4096, as the model allows */
  contextSize?: number;
  /** Offload to a GPU when node-llama-cpp has a binary for one. @default false */
  gpu?: boolean;
}

/** A {@link TokenModel} that also frees its llama.cpp resources. */
export interface LlamaTokenModel extends TokenModel {
  /** Frees every context and the model. */
  dispose(): Promise<void>;
}

interface PrivateContext {
  _ctx?: { getEmbedding?: (inputTokensLength: number) => Float64Array };
}

/**
 * Loads a GGUF as a Co-LLM {@link TokenModel}.
 *
 * @example
 * ```ts
 * const base = await loadLlamaTokenModel({ modelPath: "base.gguf" });
 * const assistant = await loadLlamaTokenModel({ modelPath: "expert.gguf", hiddenStates: false });
 * ```
 */
export async function loadLlamaTokenModel(
  options: LoadLlamaTokenModelOptions,
): Promise<LlamaTokenModel> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new InvalidArgumentError({
      parameter: "threads",
      value: threads,
      message: "`threads` is a whole number of CPU threads, at least 1.",
    });
  }
  const llama = await getLocalLlama({ gpu: options.gpu });
  const model: LlamaModel = await loadGgufModel(llama, options);
  const metadata = model.fileInfo.metadata as {
    general?: { name?: string };
    tokenizer?: { ggml?: { tokens?: readonly string[] } };
  };
  const vocabulary = metadata.tokenizer?.ggml?.tokens ?? [];
  const identity = options.identity ?? metadata.general?.name ?? basename(options.modelPath);
  const hiddenStates = options.hiddenStates ?? true;
  let chatWrapper: ChatWrapper | undefined;
  // Contexts with their one sequence, emptied, ready for the next session.
  const idle: Array<{ context: LlamaContext; sequence: LlamaContextSequence }> = [];
  const all = new Set<LlamaContext>();

  const createContext = async () => {
    const context = await model.createContext({
      sequences: 1,
      threads,
      contextSize: options.contextSize ?? { max: 4096 },
      // Private in node-llama-cpp 3.22 (see the module comment): keeps hidden states.
      ...(hiddenStates ? { _embeddings: true } : {}),
    } as Parameters<LlamaModel["createContext"]>[0]);
    all.add(context);
    return { context, sequence: context.getSequence() };
  };

  const startSession = async (): Promise<TokenModelSession> => {
    const { context, sequence } = idle.pop() ?? (await createContext());
    let disposed = false;
    return {
      async append(tokens, appendOptions) {
        const input = tokens.map((token, index) =>
          index === tokens.length - 1
            ? ([
                token as Token,
                {
                  generateNext: {
                    logits: {
                      filter: {
                        includeTop: 1,
                        ...(appendOptions?.logProbabilityOf !== undefined
                          ? { tokens: [appendOptions.logProbabilityOf as Token] }
                          : {}),
                      },
                    },
                    totalLogitWeight: true,
                  },
                },
              ] as const)
            : (token as Token),
        );
        const output = await sequence.controlledEvaluate(
          input as Parameters<LlamaContextSequence["controlledEvaluate"]>[0],
        );
        const next = output[tokens.length - 1]?.next;
        // The filter returns the top token and the one asked for: the argmax has the largest logit.
        let top: number | undefined;
        let maxLogit = Number.NEGATIVE_INFINITY;
        for (const [token, logit] of next?.logits ?? []) {
          if (logit > maxLogit) [top, maxLogit] = [token, logit];
        }
        if (next === undefined || top === undefined || next.totalLogitWeight === undefined) {
          throw new Error(
            `node-llama-cpp returned no logits for the last token of a batch (${identity}).`,
          );
        }
        // The argmax has logit l_max, so p = 1 / Σ exp(l − l_max) = 1 / totalLogitWeight.
        const result: NextToken = { token: top, confidence: 1 / next.totalLogitWeight };
        const asked = appendOptions?.logProbabilityOf;
        if (asked !== undefined) {
          const logit = next.logits?.get(asked as Token) ?? Number.NEGATIVE_INFINITY;
          // log p(t) = l_t − l_max − ln Σ exp(l − l_max).
          result.logProbability = logit - maxLogit - Math.log(next.totalLogitWeight);
        }
        if (appendOptions?.hidden) result.hidden = readHidden(context, identity, hiddenStates);
        return result;
      },
      async dispose() {
        if (disposed) return;
        disposed = true;
        if (context.disposed) return;
        await sequence.eraseContextTokenRanges([{ start: 0, end: sequence.nextTokenIndex }]);
        idle.push({ context, sequence });
      },
    };
  };

  // One context up front: its size bounds every session (all are created alike).
  const first = await createContext();
  idle.push(first);

  return {
    identity,
    hiddenSize: model.embeddingVectorSize,
    contextSize: first.context.contextSize,
    vocabulary,
    isEndOfGeneration: (token) => model.isEogToken(token as Token),
    tokenize(text) {
      const tokens = model.tokenize(text) as number[];
      const bos = model.tokens.bos;
      return model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos
        ? [bos, ...tokens]
        : tokens;
    },
    detokenize: (tokens, previous) =>
      model.detokenize(tokens as Token[], false, previous as Token[] | undefined),
    async formatChat(messages: readonly BaseMessage[]) {
      // Resolved on first use: node-llama-cpp renders the file's Jinja template against its
      // built-in wrappers (about 0.5 s of JavaScript, once per model).
      chatWrapper ??= (await importLocalEngine()).resolveChatWrapper(model);
      return chatWrapper
        .generateContextState({ chatHistory: toChatHistory(messages) })
        .contextText.tokenize(model.tokenizer) as number[];
    },
    startSession,
    async dispose() {
      idle.length = 0;
      for (const context of all) await context.dispose();
      all.clear();
      await model.dispose();
    },
  };
}

function readHidden(context: LlamaContext, identity: string, enabled: boolean): Float32Array {
  const getEmbedding = (context as unknown as PrivateContext)._ctx?.getEmbedding;
  if (!enabled || typeof getEmbedding !== "function") {
    throw new Error(
      enabled
        ? `this node-llama-cpp version has no hidden states on a generation context (Co-LLM was checked on 3.22.x): install node-llama-cpp 3.22 to decode "${identity}" under a gate.`
        : `"${identity}" was loaded without hidden states: load it with \`hiddenStates: true\` to use it as a gated base.`,
    );
  }
  return Float32Array.from(getEmbedding.call((context as unknown as PrivateContext)._ctx, 1));
}
