// Shared setup of the fault-matrix suites (`*.int.test.ts` in this folder): a loopback simulator
// per file, real ChatOpenAI models that reach it with a canary API key, MoA runs that check the
// key never leaks, and lookups in the simulator's request log. Not a test file itself.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { inspect } from "node:util";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import {
  createMixtureOfAgents,
  loadChatModel,
  type CreateMixtureOfAgentsParams,
  type LoadChatModelOptions,
  type MoaState,
  type Proposal,
} from "../../../src/index.js";
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
  type SimulatorRequestLogEntry,
  type StatusFault,
} from "../../../src/testing/simulator/index.js";

/** The API key every model sends; it must never show up in errors, state or the request log. */
export const CANARY = `sk-canary-${randomBytes(12).toString("hex")}`;
/** The user's question of every run. */
export const QUESTION = "Name three prime numbers.";

/** A 401 whose message quotes the rejected key, as some providers and proxies do. */
export function keyEchoingRejection(): StatusFault {
  return {
    kind: "status",
    status: 401,
    message: `Incorrect API key provided: ${CANARY}. You can find your API key in your account.`,
  };
}

/** A chat message as the simulator logged it in a request body. */
export interface SentMessage {
  role: string;
  content: string;
}

/** The simulator of one test file, and what reaches it. */
export interface SimulatorHarness {
  /** The file's simulator (started in `beforeAll`, reset before each test). */
  sim: Simulator;
  /** A real ChatOpenAI against the simulator, with the canary key; no retries unless asked. */
  model(name: string, options?: Omit<LoadChatModelOptions, "env">): BaseChatModel;
  /**
   * The logged request of call `callIndex` to `modelName` (by default its first call); throws
   * when there is none.
   */
  requestOf(modelName: string, callIndex?: number): SimulatorRequestLogEntry;
  /** The messages of call `callIndex` to `modelName` (by default its first); `[]` when none. */
  messagesSentTo(modelName: string, callIndex?: number): SentMessage[];
  /** The system text of call `callIndex` to `modelName` (by default its first); `""` when none. */
  systemTextSentTo(modelName: string, callIndex?: number): string;
}

/**
 * Registers the file's hooks: start a simulator with `options` before all tests, close it after
 * them, reset it before each test, and after each test check that no request header or body the
 * client sent carries the canary key. Call it once, at the top level of a test file.
 */
export function useSimulator(options?: SimulatorOptions): SimulatorHarness {
  let started: Simulator | undefined;
  const live = (): Simulator => {
    if (started === undefined) throw new Error("the simulator starts in beforeAll");
    return started;
  };

  beforeAll(async () => {
    started = await startSimulator(options);
  });

  afterAll(async () => {
    await live().close();
  });

  beforeEach(() => {
    live().reset();
  });

  afterEach(() => {
    // The simulator never logs `authorization`; nothing else the client sends may carry the key.
    // (`fault` is left out: some tests script a provider that echoes the key on purpose.)
    const sent = live().requests.map(({ headers, body, rawBody }) => ({ headers, body, rawBody }));
    expectNoCanary(sent, "request headers and bodies in the simulator log");
  });

  // Reads through to the simulator of the moment, so tests can hold `sim` from the top level.
  const sim: Simulator = {
    get url() {
      return live().url;
    },
    get port() {
      return live().port;
    },
    get requests() {
      return live().requests;
    },
    get inFlight() {
      return live().inFlight;
    },
    countRequests: (filter) => live().countRequests(filter),
    setModel: (name, behaviour) => live().setModel(name, behaviour),
    reset: () => live().reset(),
    idle: () => live().idle(),
    close: () => live().close(),
  };

  const findRequest = (modelName: string, callIndex: number) =>
    sim.requests.find(
      (candidate) => candidate.model === modelName && candidate.callIndex === callIndex,
    );
  const messagesSentTo = (modelName: string, callIndex = 0): SentMessage[] =>
    (findRequest(modelName, callIndex)?.body?.messages ?? []) as SentMessage[];

  return {
    sim,
    model(name, modelOptions = {}) {
      return loadChatModel(`openai:${name}`, {
        env: { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: CANARY },
        timeoutMs: 10_000,
        maxRetries: 0,
        ...modelOptions,
      });
    },
    requestOf(modelName, callIndex = 0) {
      const entry = findRequest(modelName, callIndex);
      if (entry === undefined) throw new Error(`no call ${callIndex} of ${modelName} in the log`);
      return entry;
    },
    messagesSentTo,
    systemTextSentTo(modelName, callIndex = 0) {
      const messages = messagesSentTo(modelName, callIndex);
      return messages.find((message) => message.role === "system")?.content ?? "";
    },
  };
}

/** Runs the MoA graph of `params` on `messages` (by default the one {@link QUESTION}). */
export function invoke(
  params: CreateMixtureOfAgentsParams,
  messages: BaseMessage[] = [new HumanMessage(QUESTION)],
): Promise<MoaState> {
  return createMixtureOfAgents(params).compile().invoke({ messages }) as Promise<MoaState>;
}

/** {@link invoke}, then checks the final state does not carry the canary key. */
export async function run(
  params: CreateMixtureOfAgentsParams,
  messages?: BaseMessage[],
): Promise<MoaState> {
  const state = await invoke(params, messages);
  expectNoCanary(state, "final state");
  return state;
}

/** The error `promise` rejects with, checked for the canary key; throws if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expectNoCanary(error, "thrown error");
    return error;
  }
  throw new Error("expected the run to reject");
}

/** The layer-`layer` proposal of `proposerId`; throws when the state has none. */
export function proposalOf(state: MoaState, proposerId: string, layer = 1): Proposal {
  const proposal = state.proposals.find(
    (candidate) => candidate.proposerId === proposerId && candidate.layer === layer,
  );
  if (proposal === undefined) throw new Error(`no layer-${layer} proposal of ${proposerId}`);
  return proposal;
}

/** The text of the run's last message: the answer. */
export function answerOf(state: MoaState): string {
  return String(state.messages.at(-1)?.content ?? "");
}

/**
 * Polls the simulator's live log (the server notices a client hang-up asynchronously) until
 * `condition` holds, then asserts it; never used to measure speed.
 */
export async function eventually(condition: () => boolean, withinMs = 3_000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!condition() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

/**
 * Asserts that `value` (an error with its causes, a state, a log) carries the canary key in none
 * of its renderings: `String`, `inspect` with hidden fields, and JSON.
 */
export function expectNoCanary(value: unknown, label: string): void {
  const texts = [String(value), inspect(value, { depth: 12, showHidden: true }), safeJson(value)];
  if (value instanceof Error) {
    texts.push(value.message, String(value.stack));
    for (let cause = value.cause, depth = 0; cause != null && depth < 5; depth += 1) {
      texts.push(String(cause), safeJson(cause));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  const leaks = texts.filter((text) => text.includes(CANARY)).map((text) => excerptAround(text));
  expect(leaks, `${label} leaks the API key`).toEqual([]);
}

function excerptAround(text: string): string {
  const at = text.indexOf(CANARY);
  return text.slice(Math.max(0, at - 120), at + CANARY.length + 40);
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === "object" && item !== null) {
        if (seen.has(item)) return "[circular]";
        seen.add(item);
      }
      return item;
    }) ?? ""
  );
}
