import { createHash } from "node:crypto";

const N = 624;
const M = 397;

/**
 * Python's `random.Random(seed)` for a string seed (seeding version 2, CPython ≥ 3.2): the
 * Mersenne Twister MT19937 keyed by the big integer `int.from_bytes(seed + sha512(seed))`.
 * AlpacaEval decides per instruction whether the judge sees the two outputs swapped with
 * `random.Random("is_switched_outputs" + instruction + "0").choices([False, True])`; this
 * reproduces that decision for any instruction, not only the official 805.
 *
 * @example
 * ```ts
 * const random = new PythonRandom("hello");
 * random.random(); // same float as Python's random.Random("hello").random()
 * ```
 */
export class PythonRandom {
  private readonly state = new Uint32Array(N);
  private position = N;

  constructor(seed: string) {
    this.initializeByArray(keyFromString(seed));
  }

  /** Python's `random()`: a float in [0, 1) with 53 random bits. */
  random(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Python's `choices(population, k=1)[0]` without weights: `population[floor(random() * n)]`. */
  choice<T>(population: readonly T[]): T {
    return population[Math.floor(this.random() * population.length)] as T;
  }

  /** The next raw 32-bit output (`genrand_uint32`). */
  nextUint32(): number {
    if (this.position >= N) this.twist();
    let value = this.state[this.position++] as number;
    value ^= value >>> 11;
    value ^= (value << 7) & 0x9d2c5680;
    value ^= (value << 15) & 0xefc60000;
    value ^= value >>> 18;
    return value >>> 0;
  }

  private twist(): void {
    const state = this.state;
    for (let index = 0; index < N; index += 1) {
      const bits =
        ((state[index] as number) & 0x80000000) | ((state[(index + 1) % N] as number) & 0x7fffffff);
      let next = (state[(index + M) % N] as number) ^ (bits >>> 1);
      if (bits & 1) next ^= 0x9908b0df;
      state[index] = next >>> 0;
    }
    this.position = 0;
  }

  private initializeGenerator(seed: number): void {
    const state = this.state;
    state[0] = seed >>> 0;
    for (let index = 1; index < N; index += 1) {
      const previous = state[index - 1] as number;
      state[index] = (Math.imul(1812433253, previous ^ (previous >>> 30)) + index) >>> 0;
    }
    this.position = N;
  }

  private initializeByArray(key: Uint32Array): void {
    const state = this.state;
    this.initializeGenerator(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k -= 1) {
      const previous = state[i - 1] as number;
      state[i] =
        (((state[i] as number) ^ Math.imul(previous ^ (previous >>> 30), 1664525)) +
          (key[j] as number) +
          j) >>>
        0;
      i += 1;
      j += 1;
      if (i >= N) {
        state[0] = state[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k -= 1) {
      const previous = state[i - 1] as number;
      state[i] =
        (((state[i] as number) ^ Math.imul(previous ^ (previous >>> 30), 1566083941)) - i) >>> 0;
      i += 1;
      if (i >= N) {
        state[0] = state[N - 1] as number;
        i = 1;
      }
    }
    state[0] = 0x80000000;
    this.position = N;
  }
}

/**
 * The MT key CPython derives from a string seed: the bytes `utf8(seed) + sha512(utf8(seed))`
 * read as one big-endian integer, split into 32-bit words from the least significant end.
 */
function keyFromString(seed: string): Uint32Array {
  const text = Buffer.from(seed, "utf8");
  const bytes = Buffer.concat([text, createHash("sha512").update(text).digest()]);
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first += 1;
  const significant = bytes.subarray(first);
  if (significant.length === 0) return new Uint32Array([0]);
  const words = new Uint32Array(Math.ceil(significant.length / 4));
  let word = 0;
  for (let end = significant.length; end > 0; end -= 4) {
    let value = 0;
    for (let index = Math.max(0, end - 4); index < end; index += 1) {
      value = value * 256 + (significant[index] as number);
    }
    words[word++] = value >>> 0;
  }
  return words;
}
