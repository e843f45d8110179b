/**
 * A minimal GGUF (version 3) writer: metadata key-values and f32 tensors (or tensors whose
 * bytes the caller encoded), nothing else.
 *
 * Layout (ggml `docs/gguf.md`): magic `GGUF`, version, tensor count, metadata count, the
 * metadata entries, the tensor infos, padding to the alignment, then the tensor data, each
 * tensor starting at a multiple of the alignment relative to the start of the data section.
 * All integers are little-endian.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";

/** GGUF metadata value types, with their numeric codes in the file. */
export const GGUF_VALUE_TYPE = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** A scalar GGUF type name. */
export type GgufScalarType = Exclude<keyof typeof GGUF_VALUE_TYPE, "array">;

/** One metadata value with its GGUF type (the type decides the bytes written). */
export type GgufValue =
  | { type: Exclude<GgufScalarType, "bool" | "string">; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; itemType: GgufScalarType; value: readonly (number | boolean | string)[] };

/**
 * A tensor: 32-bit floats, or bytes already encoded in another ggml type (e.g. Q8_0 blocks,
 * for benchmarks with realistic weight sizes).
 */
export type GgufTensor = {
  /** Tensor name, e.g. `blk.0.attn_q.weight`. */
  name: string;
  /**
   * Dimensions in ggml order: the first is the innermost (contiguous) one. A matrix of `rows`
   * rows of `columns` numbers is `[columns, rows]`.
   */
  shape: readonly number[];
} & (
  | {
      /** Row-major data; its length is the product of `shape`. */
      data: Float32Array;
    }
  | {
      /** The ggml type code (`GGML_TYPE_Q8_0` = 8, …) of `bytes`. */
      ggmlType: number;
      /** The tensor's bytes in that type's layout; not checked against `shape`. */
      bytes: Uint8Array;
    }
);

/** What {@link encodeGguf} writes. */
export interface GgufContent {
  /** Metadata in file order. */
  metadata: ReadonlyArray<readonly [key: string, value: GgufValue]>;
  tensors: readonly GgufTensor[];
  /** Data alignment in bytes (written as `general.alignment` when not 32). @default 32 */
  alignment?: number;
}

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const GGUF_VERSION = 3;
const GGML_TYPE_F32 = 0;

/**
 * Encodes a GGUF file in memory.
 *
 * @example
 * ```ts
 * const bytes = encodeGguf({
 *   metadata: [["general.architecture", { type: "string", value: "llama" }]],
 *   tensors: [{ name: "output_norm.weight", shape: [4], data: new Float32Array([1, 1, 1, 1]) }],
 * });
 * ```
 */
export function encodeGguf(content: GgufContent): Uint8Array {
  const alignment = content.alignment ?? 32;
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new InvalidArgumentError({
      parameter: "alignment",
      value: alignment,
      message: "`alignment` must be a power of two (GGUF's default is 32).",
    });
  }
  const metadata = [...content.metadata];
  if (alignment !== 32 && !metadata.some(([key]) => key === "general.alignment")) {
    metadata.push(["general.alignment", { type: "uint32", value: alignment }]);
  }
  const out = new ByteWriter();
  out.uint32(GGUF_MAGIC);
  out.uint32(GGUF_VERSION);
  out.uint64(content.tensors.length);
  out.uint64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of content.tensors) {
    const elements = tensor.shape.reduce((product, dimension) => product * dimension, 1);
    if ("data" in tensor && elements !== tensor.data.length) {
      throw new InvalidArgumentError({
        parameter: `tensors.${tensor.name}`,
        value: tensor.shape,
        message: `tensor \`${tensor.name}\` has shape [${tensor.shape.join(", ")}] (${elements} numbers) but ${tensor.data.length} numbers of data.`,
      });
    }
    out.string(tensor.name);
    out.uint32(tensor.shape.length);
    for (const dimension of tensor.shape) out.uint64(dimension);
    out.uint32("data" in tensor ? GGML_TYPE_F32 : tensor.ggmlType);
    out.uint64(offset);
    offsets.push(offset);
    offset = pad(
      offset + ("data" in tensor ? tensor.data.byteLength : tensor.bytes.byteLength),
      alignment,
    );
  }
  out.padTo(alignment);
  const dataStart = out.length;
  for (const [index, tensor] of content.tensors.entries()) {
    out.padTo(alignment, dataStart);
    if (out.length - dataStart !== offsets[index]) throw new Error("GGUF writer: offset mismatch");
    if ("data" in tensor) out.floats(tensor.data);
    else out.bytes(tensor.bytes);
  }
  return out.finish();
}

function writeValue(out: ByteWriter, value: GgufValue): void {
  out.uint32(GGUF_VALUE_TYPE[value.type]);
  if (value.type === "array") {
    out.uint32(GGUF_VALUE_TYPE[value.itemType]);
    out.uint64(value.value.length);
    for (const item of value.value) writeScalar(out, value.itemType, item);
    return;
  }
  writeScalar(out, value.type, value.value);
}

function writeScalar(out: ByteWriter, type: GgufScalarType, value: number | boolean | string) {
  switch (type) {
    case "string":
      return out.string(String(value));
    case "bool":
      return out.uint8(value ? 1 : 0);
    case "uint8":
      return out.uint8(Number(value));
    case "int8":
      return out.view(1).setInt8(0, Number(value));
    case "uint16":
      return out.view(2).setUint16(0, Number(value), true);
    case "int16":
      return out.view(2).setInt16(0, Number(value), true);
    case "uint32":
      return out.uint32(Number(value));
    case "int32":
      return out.view(4).setInt32(0, Number(value), true);
    case "float32":
      return out.view(4).setFloat32(0, Number(value), true);
    case "uint64":
      return out.uint64(Number(value));
    case "int64":
      return out.view(8).setBigInt64(0, BigInt(value as number), true);
    case "float64":
      return out.view(8).setFloat64(0, Number(value), true);
  }
}

function pad(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

/** A growable little-endian byte buffer. */
class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  length = 0;

  view(size: number): DataView {
    this.reserve(size);
    const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.length, size);
    this.length += size;
    return view;
  }

  uint8(value: number): void {
    this.view(1).setUint8(0, value);
  }

  uint32(value: number): void {
    this.view(4).setUint32(0, value, true);
  }

  uint64(value: number): void {
    this.view(8).setBigUint64(0, BigInt(value), true);
  }

  /** A GGUF string: uint64 byte length, then UTF-8 bytes without a terminator. */
  string(value: string): void {
    const bytes = new TextEncoder().encode(value);
    this.uint64(bytes.length);
    this.bytes(bytes);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  floats(data: Float32Array): void {
    const view = this.view(data.byteLength);
    for (let index = 0; index < data.length; index++) {
      view.setFloat32(index * 4, data[index]!, true);
    }
  }

  /** Zero bytes up to the next multiple of `alignment` counted from `origin`. */
  padTo(alignment: number, origin = 0): void {
    const target = origin + pad(this.length - origin, alignment);
    this.bytes(new Uint8Array(target - this.length));
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(size: number): void {
    if (this.length + size <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + size) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}
