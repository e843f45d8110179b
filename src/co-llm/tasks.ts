/**
 * Co-LLM evaluation tasks: a prompt and its reference final answer.
 *
 * @module
 */

/** One task: the prompt the decoder continues and the final answer a right model ends with. */
export interface CoLlmTask {
  /** The question, e.g. `"What is 3 times 4?"`. */
  prompt: string;
  /** The reference final answer, e.g. `"12"` (a GSM8K `#### 12` solution is read as `"12"`). */
  answer: string;
}
