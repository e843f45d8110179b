/**
 * The Aggregate-and-Synthesize prompt of the Mixture-of-Agents paper (Wang et al. 2024, Table 1),
 * byte-identical to togethercomputer/MoA: 606 characters, sha256
 * 051f3701ff1fbfdf3e0474a2bfe16dc9621c1c6665b1d0adefd43cd246dcc378, no trailing newline.
 */
export const AGGREGATE_AND_SYNTHESIZE_PROMPT =
  "You have been provided with a set of responses from various open-source models to the latest user query. Your task is to synthesize these responses into a single, high-quality response. It is crucial to critically evaluate the information provided in these responses, recognizing that some of it may be biased or incorrect. Your response should not simply replicate the given answers but should offer a refined, accurate, and comprehensive reply to the instruction. Ensure your response is well-structured, coherent, and adheres to the highest standards of accuracy and reliability.\n\n" +
  "Responses from models:";
