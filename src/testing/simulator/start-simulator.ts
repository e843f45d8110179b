// Hand-written on node:http rather than a web framework: the simulator needs socket-level
// control that frameworks hide (notice a client hanging up mid-response, keep a stalled stream
// open, destroy every open connection on close), it ships on the public `./testing` subpath
// where an extra dependency would land in users' installs, and it serves only four routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { checkLoopbackAddress, closeServer, listenOnLoopback } from "../loopback-server.js";
import { describeFaultProblem, faultForCall } from "./fault-script.js";
import { sampleLatencyMs } from "./latency.js";
import { checkModelBehaviour, type ModelBehaviour } from "./model-behaviour.js";
import {
  malformedRequestJson,
  openAIErrorForStatus,
  unknownUrl,
  type OpenAIErrorResponse,
} from "./openai-error.js";
import { checkChatRequest, describeChatRequest } from "./request-info.js";
import {
  headersForLog,
  matchesRequestFilter,
  type SimulatorRequestFilter,
  type SimulatorRequestLogEntry,
} from "./request-log.js";
import {
  sendError,
  sendJson,
  serveChatCompletion,
  type ChatCompletionChannel,
} from "./serve-chat-completion.js";

/** Largest request body accepted (bigger ones get a 413). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /**
   * Port to listen on; `0` picks a free port (read it from `sim.port`).
   * @default 0
   */
  port?: number;
  /**
   * Interface to bind. Only loopback is supported: the simulator is a test double and must never
   * be reachable from the network.
   * @default "127.0.0.1"
   */
  host?: "127.0.0.1";
  /** Behaviour of each named model; listed by `GET /v1/models`. */
  models?: Record<string, ModelBehaviour>;
  /**
   * Behaviour of models not named in `models`.
   * @default {} (synthetic replies, no latency)
   */
  defaultModel?: ModelBehaviour;
  /**
   * When set, `/v1/*` requests without `Authorization: Bearer <apiKey>` get OpenAI's 401.
   * @default undefined (any key, or none, is accepted)
   */
  apiKey?: string;
  /**
   * Seed of the latency distributions (draws are keyed on seed, model and call index).
   * @default 0
   */
  seed?: number;
  /**
   * Id of every chat completion (the same on all chunks of a stream). Set a constant to play a
   * provider whose completion ids repeat, as ids that restart with a process do.
   * @default `chatcmpl-sim<n>`, n the request's sequence number since start
   */
  completionId?: string;
}

/** A running simulator; see {@link startSimulator}. */
export interface Simulator {
  /** `http://127.0.0.1:<port>`; OpenAI clients use `${url}/v1` as their base URL. */
  readonly url: string;
  /** The port the simulator listens on. */
  readonly port: number;
  /** Every request received since start (or the last `reset()`), in arrival order. */
  readonly requests: readonly SimulatorRequestLogEntry[];
  /** Requests currently being answered (hanging ones included). */
  readonly inFlight: number;
  /**
   * Counts logged requests matching `filter` (all requests without one).
   * @example sim.countRequests({ model: "gpt-4o", aborted: true })
   */
  countRequests(filter?: SimulatorRequestFilter): number;
  /** Sets (or replaces) the behaviour of model `name`; applies to requests arriving afterwards. */
  setModel(name: string, behaviour: ModelBehaviour): void;
  /** Clears the request log and every per-model call counter (fault scripts start over). */
  reset(): void;
  /**
   * Resolves once no request is in flight — for example after a client timed out, when the
   * simulator has noticed the disconnect and marked the entry `aborted`.
   */
  idle(): Promise<void>;
  /**
   * Stops the server and destroys every open connection, hanging and stalled ones included, so
   * a test never waits on a request that will not finish. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Starts a loopback server that speaks the OpenAI chat-completions protocol (JSON and SSE),
 * with scripted latency, replies and faults per model, and a log of every request.
 *
 * Routes: `POST /v1/chat/completions`, `GET /v1/models`, `GET /v1/models/{id}`, `GET /health`.
 * By default a model answers at once with a synthetic reply that reveals what it received (see
 * `buildSyntheticReply`); tokens are whitespace-separated words.
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from "@langchain/openai";
 * import { startSimulator, parseSyntheticReply } from "langgraph-moa/testing";
 *
 * const sim = await startSimulator({
 *   models: { slow: { latencyMs: 200 }, flaky: { faults: [{ kind: "status", status: 429 }] } },
 * });
 * const model = new ChatOpenAI({
 *   model: "slow",
 *   apiKey: "sk-test",
 *   configuration: { baseURL: `${sim.url}/v1` },
 * });
 * const reply = await model.invoke("Hello");
 * parseSyntheticReply(String(reply.content))?.turns; // 1
 * sim.countRequests({ model: "slow" }); // 1
 * await sim.close();
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const address = checkLoopbackAddress(options, "the simulator");
  const models = new Map<string, ModelBehaviour>();
  for (const [name, behaviour] of Object.entries(options.models ?? {})) {
    checkModelBehaviour(behaviour, `models.${name}`);
    models.set(name, behaviour);
  }
  const defaultModel = options.defaultModel ?? {};
  checkModelBehaviour(defaultModel, "defaultModel");
  const state = new SimulatorState();
  const context: SimulatorContext = {
    options,
    models,
    defaultModel,
    seed: options.seed ?? 0,
    state,
  };
  const server: Server = createServer((request, response) => {
    void handleRequest(context, request, response);
  });
  const { port, url } = await listenOnLoopback(server, address);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    get requests() {
      return state.log;
    },
    get inFlight() {
      return state.inFlight;
    },
    countRequests(filter?: SimulatorRequestFilter) {
      return state.log.filter((entry) => matchesRequestFilter(entry, filter)).length;
    },
    setModel(name: string, behaviour: ModelBehaviour) {
      checkModelBehaviour(behaviour, `setModel("${name}")`);
      models.set(name, behaviour);
    },
    reset() {
      state.reset();
    },
    idle() {
      return state.idle();
    },
    close() {
      closing ??= (async () => {
        // Wake hanging handlers so they return instead of waiting on a dead socket before every
        // connection is dropped, idle keep-alive ones included.
        const stopped = closeServer(server, () => state.abortOpenRequests());
        // Also wait for every response's `close` event, so the log is final (entries cut by
        // the shutdown marked `aborted`) when `close()` resolves.
        await Promise.all([stopped, state.idle()]);
      })();
      return closing;
    },
  };
}

/** The simulator's mutable state: the request log, the call counters, the requests in flight. */
class SimulatorState {
  /** Every request since start or the last `reset()` (a reset starts a new array). */
  log: SimulatorRequestLogEntry[] = [];
  private callCounters = new Map<string, number>();
  private requestSequence = 0;
  private open = new Set<AbortController>();
  private idleWaiters: Array<() => void> = [];

  /** Requests currently being answered. */
  get inFlight(): number {
    return this.open.size;
  }

  /** Logs an arriving request; its controller is aborted when the response closes. */
  begin(request: IncomingMessage): {
    entry: SimulatorRequestLogEntry;
    sequence: number;
    controller: AbortController;
  } {
    this.requestSequence += 1;
    const sequence = this.requestSequence;
    const entry: SimulatorRequestLogEntry = {
      id: `req_${sequence}`,
      method: request.method ?? "GET",
      path: new URL(request.url ?? "/", "http://127.0.0.1").pathname,
      stream: false,
      receivedAt: Date.now(),
      aborted: false,
      headers: headersForLog(request.headers),
    };
    this.log.push(entry);
    const controller = new AbortController();
    this.open.add(controller);
    return { entry, sequence, controller };
  }

  /** The request's response closed: wakes `idle()` waiters once none is in flight. */
  end(controller: AbortController): void {
    controller.abort();
    this.open.delete(controller);
    if (this.open.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * The model's next call index. It moves when the request arrives, so concurrent calls get
   * distinct indices in arrival order whatever order they finish in.
   */
  nextCallIndex(model: string): number {
    const callIndex = this.callCounters.get(model) ?? 0;
    this.callCounters.set(model, callIndex + 1);
    return callIndex;
  }

  /** Aborts every open request's handler (on `close()`). */
  abortOpenRequests(): void {
    for (const controller of this.open) controller.abort();
  }

  idle(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    this.log = [];
    this.callCounters = new Map();
  }
}

/** What the request handlers read: the options, the models and the state. */
interface SimulatorContext {
  options: SimulatorOptions;
  models: Map<string, ModelBehaviour>;
  defaultModel: ModelBehaviour;
  seed: number;
  state: SimulatorState;
}

async function handleRequest(
  context: SimulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { entry, sequence, controller } = context.state.begin(request);
  const channel: ChatCompletionChannel = { response, entry, signal: controller.signal };
  // `close` fires once per response: after a complete answer, or when the connection drops
  // first (client abort, timeout, or `sim.close()`), in which case the entry is marked aborted.
  response.on("close", () => {
    if (!response.writableFinished) entry.aborted = true;
    entry.finishedAt = Date.now();
    context.state.end(controller);
  });

  try {
    await route(context, request, channel, sequence);
  } catch (error) {
    if (!response.headersSent && !controller.signal.aborted) {
      sendError(
        channel,
        openAIErrorForStatus(500, { message: `Simulator error: ${String(error)}` }),
      );
    } else {
      response.destroy();
    }
  }
}

async function route(
  context: SimulatorContext,
  request: IncomingMessage,
  channel: ChatCompletionChannel,
  sequence: number,
): Promise<void> {
  const { entry } = channel;
  const { method, path } = entry;
  const text = await readBody(request);
  if (text === undefined) {
    sendError(channel, {
      status: 413,
      headers: {},
      body: {
        error: {
          message: `Request body larger than ${MAX_BODY_BYTES} bytes.`,
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    });
    return;
  }
  const parsed = parseJson(text);
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    entry.body = parsed as Record<string, any>;
  } else if (text !== "") {
    entry.rawBody = text;
  }

  if (method === "GET" && path === "/health") {
    sendJson(channel, 200, { status: "ok" });
    return;
  }
  if (!path.startsWith("/v1/")) {
    sendError(channel, unknownUrl(method, path));
    return;
  }
  const authProblem = checkAuthorization(context.options.apiKey, request.headers.authorization);
  if (authProblem !== undefined) {
    sendError(channel, authProblem);
    return;
  }
  if (method === "GET" && path === "/v1/models") {
    sendJson(channel, 200, {
      object: "list",
      data: [...context.models.keys()].map(modelObject),
    });
    return;
  }
  if (method === "GET" && path.startsWith("/v1/models/")) {
    const name = decodeURIComponent(path.slice("/v1/models/".length));
    if (context.models.has(name)) sendJson(channel, 200, modelObject(name));
    else sendError(channel, openAIErrorForStatus(404, { model: name }));
    return;
  }
  if (method === "POST" && path === "/v1/chat/completions") {
    await chatCompletion(context, channel, text, parsed, sequence, request.headers.authorization);
    return;
  }
  sendError(channel, unknownUrl(method, path));
}

async function chatCompletion(
  context: SimulatorContext,
  channel: ChatCompletionChannel,
  text: string,
  parsed: unknown,
  sequence: number,
  authorization: string | undefined,
): Promise<void> {
  const { entry } = channel;
  if (parsed === INVALID_JSON || text === "") {
    sendError(channel, malformedRequestJson());
    return;
  }
  const checked = checkChatRequest(parsed);
  if (!("model" in checked)) {
    sendError(
      channel,
      openAIErrorForStatus(400, { message: checked.message, param: checked.param }),
    );
    return;
  }
  const callIndex = context.state.nextCallIndex(checked.model);
  const request = describeChatRequest(checked, callIndex);
  const behaviour = context.models.get(checked.model) ?? context.defaultModel;
  entry.model = checked.model;
  entry.stream = request.stream;
  entry.callIndex = callIndex;
  entry.promptTokens = request.promptTokens;

  const fault = faultForCall(behaviour.faults, callIndex, request);
  if (fault !== undefined) {
    const problem = describeFaultProblem(fault);
    if (problem !== undefined) {
      sendError(
        channel,
        openAIErrorForStatus(500, {
          message: `The simulator's fault script for model \`${checked.model}\` returned an invalid fault for call ${callIndex}: ${problem}.`,
        }),
      );
      return;
    }
    entry.fault = fault;
  }

  await serveChatCompletion(
    {
      request,
      behaviour,
      fault,
      latencyMs: sampleLatencyMs(behaviour.latencyMs, {
        seed: context.seed,
        model: checked.model,
        callIndex,
      }),
      // Only for faults that echo it; never logged.
      apiKey: authorization?.replace(/^Bearer\s+/i, ""),
      identity: {
        id: context.options.completionId ?? `chatcmpl-sim${sequence}`,
        created: Math.floor(entry.receivedAt / 1000),
        model: checked.model,
      },
    },
    channel,
  );
}

function checkAuthorization(
  apiKey: string | undefined,
  header: string | undefined,
): OpenAIErrorResponse | undefined {
  if (apiKey === undefined) return undefined;
  if (header === `Bearer ${apiKey}`) return undefined;
  if (header === undefined || header === "") {
    return openAIErrorForStatus(401, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    });
  }
  return openAIErrorForStatus(401);
}

const INVALID_JSON = Symbol("invalid JSON");

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

function modelObject(name: string): Record<string, unknown> {
  return { id: name, object: "model", created: 0, owned_by: "langgraph-moa-simulator" };
}

// Resolves the body text, or undefined when it exceeds MAX_BODY_BYTES. A client that hangs up
// mid-body ends the iteration with an error; the caller's catch handles it.
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
