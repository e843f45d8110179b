/**
 * Error bodies in the shape the OpenAI API returns them, so clients (the `openai` SDK behind
 * `ChatOpenAI`) parse and classify them exactly as they would real ones.
 */

/** The JSON body of an OpenAI API error. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

/** An error response: HTTP status, body and extra headers. */
export interface OpenAIErrorResponse {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/**
 * Builds the error body OpenAI sends for `status`, with the usual `type` and `code` of that
 * status. `message` overrides the default text.
 *
 * @example
 * ```ts
 * openAIErrorForStatus(429, { model: "gpt-4o" }).body.error.code; // "rate_limit_exceeded"
 * ```
 */
export function openAIErrorForStatus(
  status: number,
  options: { model?: string; message?: string; param?: string | null } = {},
): OpenAIErrorResponse {
  const model = options.model ?? "the model";
  const shape = ((): Omit<OpenAIErrorBody["error"], "param"> => {
    switch (status) {
      case 400:
        return { message: "Invalid request.", type: "invalid_request_error", code: null };
      case 401:
        return {
          message:
            "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          code: "invalid_api_key",
        };
      case 403:
        return {
          message: "You are not allowed to sample from this model",
          type: "invalid_request_error",
          code: null,
        };
      case 404:
        return {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: "invalid_request_error",
          code: "model_not_found",
        };
      case 429:
        return {
          message: `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again later.`,
          type: "requests",
          code: "rate_limit_exceeded",
        };
      case 500:
        return {
          message: "The server had an error while processing your request. Sorry about that!",
          type: "server_error",
          code: null,
        };
      case 503:
        return {
          message: "The engine is currently overloaded, please try again later.",
          type: "server_error",
          code: null,
        };
      default:
        return {
          message: `Simulated error with status ${status}.`,
          type: status >= 500 ? "server_error" : "invalid_request_error",
          code: null,
        };
    }
  })();
  return {
    status,
    headers: {},
    body: {
      error: {
        message: options.message ?? shape.message,
        type: shape.type,
        param: options.param ?? null,
        code: shape.code,
      },
    },
  };
}

/**
 * OpenAI's exact `context_length_exceeded` error: status 400, `param: "messages"`.
 *
 * @example
 * ```ts
 * contextLengthExceeded(8192, 9000).body.error.message;
 * // "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages."
 * ```
 */
export function contextLengthExceeded(
  contextWindow: number,
  promptTokens: number,
): OpenAIErrorResponse {
  return {
    status: 400,
    headers: {},
    body: {
      error: {
        message: `This model's maximum context length is ${contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      },
    },
  };
}

/**
 * OpenAI's answer to a body that is not JSON (status 400).
 */
export function malformedRequestJson(): OpenAIErrorResponse {
  return {
    status: 400,
    headers: {},
    body: {
      error: {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    },
  };
}

/**
 * OpenAI's answer to an unknown path (status 404).
 */
export function unknownUrl(method: string, path: string): OpenAIErrorResponse {
  return {
    status: 404,
    headers: {},
    body: {
      error: {
        message: `Unknown request URL: ${method} ${path}. Please check the URL for typos, or see the docs at https://platform.openai.com/docs/api-reference/.`,
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    },
  };
}
