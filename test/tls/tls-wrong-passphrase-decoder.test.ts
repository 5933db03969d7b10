import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tlsFailureKind } from '../../core/tls.js';

// With a wrong passphrase OpenSSL 3 mostly reports "bad decrypt", but about one passphrase in 128
// decrypts to bytes whose padding happens to check out; the key decoder then refuses them as
// "DECODER routines::unsupported". Both mean the client key cannot be used.
//
// A throwaway P-256 key (made for this test, used nowhere else), PKCS#8-encrypted with AES-256-CBC
// under `seal-pass`, chosen so that `wrong-0` is such a passphrase. Searching for one at run time
// took a fresh key and a hundred-odd passphrases (one PBKDF2 each), ~1 s of CPU; the encrypted
// bytes fix the salt and IV, so the outcome is the same on every run.
const KEY = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAiYsnXpgr9p6AICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEOaLOoel4CVfVzvARMDk6goEgZDL
/YFrhZe26pKZHUxe7FCbDWbhmMpK13gl94X8k117AHuxky7Xs4QSyFnwkUFiHcOQ
6F4VSTOWRqdMPeEaqJZKixFhsVj44+5HmrRLJU0JqHPmeOQ3Kwxe2/BrXl3bqoHl
2JsbQ0YLmiKzWFPyDAGUaCdK2lr4tPPKDqx5m4ZprD06HpJKgrsVYyizpeWETXI=
-----END ENCRYPTED PRIVATE KEY-----
`;

function decoderRefusal(): Error {
  try {
    createSecureContext({ key: KEY, passphrase: 'wrong-0' });
  } catch (e) {
    return e as Error;
  }
  throw new Error('the wrong passphrase opened the key');
}

describe('a wrong passphrase the key decoder refuses', () => {
  it('is a client key that cannot be used, like "bad decrypt"', () => {
    // A usable key: its own passphrase opens it.
    expect(() => createSecureContext({ key: KEY, passphrase: 'seal-pass' })).not.toThrow();
    const e = decoderRefusal();
    expect((e as { code?: string }).code).toBe('ERR_OSSL_UNSUPPORTED');
    expect(e.message).toMatch(/DECODER routines::unsupported/);
    expect(tlsFailureKind(e)).toBe('client-key');
    expect(tlsFailureKind(new Error('connect', { cause: e }))).toBe('client-key');
  });
});
