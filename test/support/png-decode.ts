/**
 * Reads a PNG back into RGBA pixels for tests that look at a picture: 8-bit greyscale, RGB, RGBA
 * or grey+alpha, non-interlaced, every row filter of the PNG spec (§9). Written from the spec,
 * separately from the code that draws, so a test sees what any viewer would.
 */
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** Row-major RGBA, 4 bytes a pixel. */
  rgba: Uint8Array;
  at(x: number, y: number): [number, number, number, number];
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

export function decodePng(png: Uint8Array): Pixels {
  const buf = Buffer.from(png);
  if (buf.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      channels = CHANNELS[data[9] as number] ?? 0;
      if (depth !== 8 || channels === 0 || data[12] !== 0)
        throw new Error('PNG: only 8-bit, non-palette, non-interlaced');
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    if (filter > 4 && stride > 0) throw new Error(`PNG: unknown filter ${filter}`);
    // No array or closure a byte: a whole page at 120 dpi is 5.6 million of them.
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (row[i - channels] as number) : 0;
      const b = up[i] as number;
      const c = i >= channels ? (up[i - channels] as number) : 0;
      const x = src[i] as number;
      const predicted =
        filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
      row[i] = (x + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0, s = 0, o = 0; p < width * height; p++, s += channels, o += 4) {
    const first = out[s] as number;
    const grey = channels < 3;
    rgba[o] = first;
    rgba[o + 1] = grey ? first : (out[s + 1] as number);
    rgba[o + 2] = grey ? first : (out[s + 2] as number);
    rgba[o + 3] = channels === 2 ? (out[s + 1] as number) : channels === 4 ? (out[s + 3] as number) : 255;
  }
  return {
    width,
    height,
    rgba,
    at(x, y) {
      const i = (Math.floor(y) * width + Math.floor(x)) * 4;
      return [rgba[i] as number, rgba[i + 1] as number, rgba[i + 2] as number, rgba[i + 3] as number];
    },
  };
}
