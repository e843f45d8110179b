export { MoaError } from "./moa-error.js";
export { InvalidArgumentError } from "./invalid-argument-error.js";
export { InvalidInputError } from "./invalid-input-error.js";
export { InvalidConfigError, type ConfigIssue } from "./invalid-config-error.js";
export { InsufficientProposalsError, type FailedProposer } from "./insufficient-proposals-error.js";
export { ModelSpecError } from "./model-spec-error.js";
export {
  BudgetExceededError,
  type BudgetLimit,
  type BudgetSpend,
} from "./budget-exceeded-error.js";
export { ModelCallError } from "./model-call-error.js";
export {
  registerSecret,
  redactSecrets,
  redactError,
  REDACTED,
  MIN_SECRET_LENGTH,
  SECRET_FRAGMENT_LENGTH,
} from "./redact-secrets.js";
