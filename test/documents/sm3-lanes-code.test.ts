// The SM3 lanes module's bytes, pinned: writing them into a typed array instead of arrays of
// numbers joined at the end must give the very module the array build gave, byte for byte (its
// digests are checked against GB/T 32905 and OpenSSL in sm3-lanes.test.ts).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm3LanesModule } from '../../adapters/documents/sm3-lanes-code.js';

// SHA-256 of the module as the array build made it (19,168 bytes).
const MODULE_SHA256 = '5c1f8011219435bbe336287d379ae0e08541ed232dd679b42bc8b16e5a0e472a';

describe('sm3LanesModule', () => {
  it('gives the same bytes as before', () => {
    const bytes = sm3LanesModule();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(19_168);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(MODULE_SHA256);
  });

  it('gives each caller its own copy, exactly as long as the module', () => {
    const first = sm3LanesModule();
    const second = sm3LanesModule();
    expect(first).not.toBe(second);
    expect(first.buffer.byteLength).toBe(first.length);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });
});
