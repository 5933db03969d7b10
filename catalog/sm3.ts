import { createHash } from 'node:crypto';

/**
 * SM3 (GB/T 32905) digest as lowercase hex. Node's native `createHash('sm3')` is correct and fast
 * (reference/STANDARDS.md §4); every hash licbridge keeps (content hash, catalog and mapping
 * versions, serials) goes through this one function so they agree across machines.
 */
export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}

/** The raw 32-byte SM3 digest. */
export function sm3Bytes(data: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sm3').update(data).digest());
}
