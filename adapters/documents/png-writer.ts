/**
 * A minimal PNG writer (RGBA, 8 bits, no filter): enough for a seal image drawn by licbridge (the
 * demo's) and for pictures of rendered pages. Chunks carry their CRC-32 (ISO 3309, node:zlib's).
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes `width × height` RGBA pixels (row-major, 4 bytes each) as PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError('png: pixel buffer does not match the size');
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter type 0 (none) per row.
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A round red seal impression: a ring, a five-pointed star, transparent elsewhere. Stands in for
 * a registered seal image in the demo and in tests (real images come from the seal registry).
 */
export function drawRoundSeal(size: number, rgb: readonly [number, number, number] = [220, 30, 30]): Buffer {
  const px = new Uint8Array(size * size * 4);
  const c = (size - 1) / 2;
  const outer = size / 2 - 1;
  const ring = Math.max(2, size / 22);
  const star: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? size * 0.2 : size * 0.08;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    star.push([c + r * Math.cos(a), c + r * Math.sin(a)]);
  }
  const inStar = (x: number, y: number): boolean => {
    let inside = false;
    for (let i = 0, j = star.length - 1; i < star.length; j = i++) {
      const [xi, yi] = star[i] as [number, number];
      const [xj, yj] = star[j] as [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      if ((d <= outer && d >= outer - ring) || inStar(x, y)) {
        const o = (y * size + x) * 4;
        px[o] = rgb[0];
        px[o + 1] = rgb[1];
        px[o + 2] = rgb[2];
        px[o + 3] = 255;
      }
    }
  }
  return encodePng(size, size, px);
}
