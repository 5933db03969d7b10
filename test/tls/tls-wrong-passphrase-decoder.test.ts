import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tlsFailureKind } from '../../core/tls.js';
import {
  DECODER_REFUSED_KEY_PASSPHRASE,
  DECODER_REFUSED_PASSPHRASE,
  DECODER_REFUSED_KEY as KEY,
} from '../support/decoder-refused-key.js';

// With a wrong passphrase OpenSSL 3 mostly reports "bad decrypt", but about one in 128 reaches the
// key decoder, which refuses it as unsupported. Both mean the client key cannot be used.

function decoderRefusal(): Error {
  try {
    createSecureContext({ key: KEY, passphrase: DECODER_REFUSED_PASSPHRASE });
  } catch (e) {
    return e as Error;
  }
  throw new Error('the wrong passphrase opened the key');
}

describe('a wrong passphrase the key decoder refuses', () => {
  it('is a client key that cannot be used, like "bad decrypt"', () => {
    // A usable key: its own passphrase opens it.
    expect(() => createSecureContext({ key: KEY, passphrase: DECODER_REFUSED_KEY_PASSPHRASE })).not.toThrow();
    const e = decoderRefusal();
    expect((e as { code?: string }).code).toBe('ERR_OSSL_UNSUPPORTED');
    expect(e.message).toMatch(/DECODER routines::unsupported/);
    expect(tlsFailureKind(e)).toBe('client-key');
    expect(tlsFailureKind(new Error('connect', { cause: e }))).toBe('client-key');
  });
});
