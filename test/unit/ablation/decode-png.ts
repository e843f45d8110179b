// A small PNG decoder for tests: chunk CRCs checked, IDAT inflated, scanline filters undone.
// Enough to prove a rendered plot is a whole, readable image without an image library.
import { crc32, inflateSync } from "node:zlib";

/** A decoded 8-bit PNG: size and raw pixels (`channels` bytes per pixel, row by row). */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decodes an 8-bit, non-interlaced, non-palette PNG; throws on anything malformed. */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const buffer = Buffer.from(bytes);
  if (!buffer.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG signature");
  let offset = 8;
  let header:
    | { width: number; height: number; bitDepth: number; colorType: number; interlace: number }
    | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.subarray(offset + 4, offset + 8).toString("ascii");
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    const crc = buffer.readUInt32BE(offset + 8 + length);
    if (crc32(buffer.subarray(offset + 4, offset + 8 + length)) !== crc)
      throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth: body[8]!,
        colorType: body[9]!,
        interlace: body[12]!,
      };
    } else if (type === "IDAT") {
      data.push(body);
    } else if (type === "IEND") {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (!header || !ended) throw new Error("missing IHDR or IEND");
  const channels = CHANNELS[header.colorType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${header.bitDepth}, colour type ${header.colorType}`);
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * channels;
  if (raw.length !== header.height * (stride + 1)) throw new Error("image data has the wrong size");
  const pixels = Buffer.alloc(header.height * stride);
  for (let row = 0; row < header.height; row++) {
    const filter = raw[row * (stride + 1)]!;
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let index = 0; index < stride; index++) {
      const left = index >= channels ? pixels[row * stride + index - channels]! : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + index]! : 0;
      const upLeft =
        row > 0 && index >= channels ? pixels[(row - 1) * stride + index - channels]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`unknown filter ${filter}`);
      pixels[row * stride + index] = (line[index]! + predictor) & 0xff;
    }
  }
  return { width: header.width, height: header.height, channels, pixels };
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const [a, b, c] = [
    Math.abs(estimate - left),
    Math.abs(estimate - up),
    Math.abs(estimate - upLeft),
  ];
  return a <= b && a <= c ? left : b <= c ? up : upLeft;
}

/** Number of distinct colours in a decoded image (a blank image has one). */
export function distinctColours(image: DecodedPng): number {
  const colours = new Set<string>();
  for (let offset = 0; offset < image.pixels.length; offset += image.channels) {
    colours.add(image.pixels.subarray(offset, offset + image.channels).toString("hex"));
    if (colours.size > 64) break;
  }
  return colours.size;
}
