/** The little of PNG a seal needs: is it one, and how many pixels wide and high (the IHDR chunk). */

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export interface PngSize {
  width: number;
  height: number;
}

/** Width and height of a PNG, or null when the bytes are not a PNG with an IHDR first. */
export function pngSize(bytes: Uint8Array): PngSize | null {
  if (bytes.length < 24 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The first chunk must be IHDR (length 13): width and height are its first two 32-bit fields.
  if (view.getUint32(8) !== 13 || Buffer.from(bytes.subarray(12, 16)).toString('latin1') !== 'IHDR')
    return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : null;
}
