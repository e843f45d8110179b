import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import { encodeGguf, type GgufValue } from "../../../src/local/gguf-writer.js";

/** A reader for what the writer produces, following ggml docs/gguf.md independently. */
function parse(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => ((at += 4), view.getUint32(at - 4, true));
  const u64 = () => ((at += 8), Number(view.getBigUint64(at - 8, true)));
  const str = () => {
    const length = u64();
    at += length;
    return new TextDecoder().decode(bytes.subarray(at - length, at));
  };
  const scalar = (type: number): unknown => {
    switch (type) {
      case 4:
        return u32();
      case 5:
        return ((at += 4), view.getInt32(at - 4, true));
      case 6:
        return ((at += 4), view.getFloat32(at - 4, true));
      case 7:
        return ((at += 1), view.getUint8(at - 1) === 1);
      case 8:
        return str();
      case 10:
        return u64();
      case 12:
        return ((at += 8), view.getFloat64(at - 8, true));
      default:
        throw new Error(`type ${type} not handled by the test reader`);
    }
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata: Record<string, unknown> = {};
  for (let index = 0; index < kvCount; index++) {
    const key = str();
    const type = u32();
    if (type === 9) {
      const itemType = u32();
      const length = u64();
      metadata[key] = Array.from({ length }, () => scalar(itemType));
    } else metadata[key] = scalar(type);
  }
  const tensors = [];
  for (let index = 0; index < tensorCount; index++) {
    const name = str();
    const dimensions = u32();
    const shape = Array.from({ length: dimensions }, () => u64());
    tensors.push({ name, shape, type: u32(), offset: u64() });
  }
  const alignment = (metadata["general.alignment"] as number | undefined) ?? 32;
  const dataStart = Math.ceil(at / alignment) * alignment;
  const data = (offset: number, count: number) =>
    Array.from({ length: count }, (_, index) =>
      view.getFloat32(dataStart + offset + index * 4, true),
    );
  return { magic, version, metadata, tensors, dataStart, data };
}

describe("encodeGguf", () => {
  const metadata: [string, GgufValue][] = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["llama.block_count", { type: "uint32", value: 1 }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "float32", value: 0.5 }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: ["<s>", "é▁x"] }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "int32", value: [3, -1] }],
    ["big", { type: "uint64", value: 2 ** 40 }],
    ["precise", { type: "float64", value: Math.PI }],
  ];

  it("writes the GGUF v3 header, metadata and tensor infos in order", () => {
    const bytes = encodeGguf({
      metadata,
      tensors: [
        { name: "a", shape: [3], data: new Float32Array([1, 2, 3]) },
        { name: "b", shape: [2, 2], data: new Float32Array([4, 5, 6, 7]) },
      ],
    });
    const file = parse(bytes);
    expect(file.magic).toBe("GGUF");
    expect(file.version).toBe(3);
    expect(file.metadata).toEqual({
      "general.architecture": "llama",
      "llama.block_count": 1,
      "llama.attention.layer_norm_rms_epsilon": 0.5,
      "tokenizer.ggml.add_bos_token": true,
      "tokenizer.ggml.tokens": ["<s>", "é▁x"],
      "tokenizer.ggml.token_type": [3, -1],
      big: 2 ** 40,
      precise: Math.PI,
    });
    expect(file.tensors).toEqual([
      { name: "a", shape: [3], type: 0, offset: 0 },
      // 12 bytes of "a", padded to the 32-byte alignment
      { name: "b", shape: [2, 2], type: 0, offset: 32 },
    ]);
    expect(file.dataStart % 32).toBe(0);
    expect(file.data(0, 3)).toEqual([1, 2, 3]);
    expect(file.data(32, 4)).toEqual([4, 5, 6, 7]);
    expect(bytes.byteLength).toBe(file.dataStart + 32 + 16);
  });

  it("records a non-default alignment in general.alignment and aligns to it", () => {
    const file = parse(
      encodeGguf({
        metadata: [],
        tensors: [
          { name: "a", shape: [1], data: new Float32Array([1]) },
          { name: "b", shape: [1], data: new Float32Array([2]) },
        ],
        alignment: 64,
      }),
    );
    expect(file.metadata["general.alignment"]).toBe(64);
    expect(file.dataStart % 64).toBe(0);
    expect(file.tensors.map((tensor) => tensor.offset)).toEqual([0, 64]);
    expect(file.data(64, 1)).toEqual([2]);
  });

  it("writes caller-encoded tensors with their ggml type", () => {
    const block = new Uint8Array(34).fill(7); // one Q8_0 block of 32 weights
    const file = parse(
      encodeGguf({
        metadata: [],
        tensors: [
          { name: "q", shape: [32], ggmlType: 8, bytes: block },
          { name: "f", shape: [1], data: new Float32Array([9]) },
        ],
      }),
    );
    expect(file.tensors).toEqual([
      { name: "q", shape: [32], type: 8, offset: 0 },
      { name: "f", shape: [1], type: 0, offset: 64 },
    ]);
    expect(file.data(64, 1)).toEqual([9]);
  });

  it.each([
    [
      { metadata: [], tensors: [{ name: "t", shape: [2, 2], data: new Float32Array(3) }] },
      /shape \[2, 2\]/,
    ],
    [{ metadata: [], tensors: [], alignment: 24 }, /power of two/],
  ])("rejects inconsistent input before writing (%#)", (content, message) => {
    expect(() => encodeGguf(content)).toThrow(message);
    try {
      encodeGguf(content);
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
  });
});
