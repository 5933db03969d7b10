import { hash } from 'node:crypto';

/**
 * SM3 (GB/T 32905) digest as lowercase hex. Node's native SM3 is correct and fast
 * (reference/STANDARDS.md §4); every hash licbridge keeps (content hash, catalog and mapping
 * versions, serials) goes through this one function so they agree across machines.
 *
 * One-shot `crypto.hash` rather than `createHash().update().digest()`: every license version is
 * hashed on the pipeline's main thread, and for inputs of a few hundred bytes the Hash object's
 * creation costs about as much as the digest itself. Same OpenSSL digest, same bytes.
 */
export function sm3Hex(data: string | Uint8Array): string {
  return hash('sm3', data, 'hex');
}

/** The raw 32-byte SM3 digest. */
export function sm3Bytes(data: string | Uint8Array): Uint8Array {
  return new Uint8Array(hash('sm3', data, 'buffer'));
}
