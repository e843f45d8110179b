import { redactSecrets } from "../errors/redact-secrets.js";

/** The `type` of an error body, as OpenAI names them. */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error"
  | "upstream_error";

/** An error response body in OpenAI's format. */
export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

/**
 * Builds an error body in OpenAI's format (`{ error: { message, type, param, code } }`). The
 * message is passed through `redactSecrets`, so no registered key can reach a client.
 */
export function openAIError(
  message: string,
  type: OpenAIErrorType,
  param: string | null = null,
  code: string | null = null,
): OpenAIErrorBody {
  return { error: { message: redactSecrets(message), type, param, code } };
}
