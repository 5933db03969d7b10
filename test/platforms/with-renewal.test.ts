// A request whose credentials the platform refused is sent once more only when the strategy
// renewed them (adapters/platforms/shared/auth/with-renewal.ts, used by rest-json and notify).
import { describe, expect, it } from 'vitest';
import type { AuthStrategy } from '../../adapters/platforms/shared/auth/auth-strategy.js';
import { type SentCredentials, withRenewal } from '../../adapters/platforms/shared/auth/with-renewal.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

const refused = new LicbridgeError(ErrorCodes.TARGET_AUTH, 'target t: credentials refused: HTTP 401');
const down = new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target t: HTTP 503', { retryable: true });

/** A strategy whose `refresh` answers `renewed`, counting its calls. */
function strategy(renewed: boolean | undefined) {
  const calls = { refresh: 0 };
  const auth: AuthStrategy = {
    headers: async () => ({}),
    ...(renewed === undefined
      ? {}
      : {
          refresh: async () => {
            calls.refresh++;
            return renewed;
          },
        }),
  };
  return { auth, calls };
}

/** A request sent with credentials that fails with the given errors in turn, then answers `ok`. */
function requests(...failures: Error[]) {
  let n = 0;
  const send = async (sent: SentCredentials) => {
    sent.headers = { authorization: `Bearer tok-${n}` };
    const e = failures[n++];
    if (e) throw e;
    return 'ok';
  };
  return { send, count: () => n };
}

describe('withRenewal', () => {
  it('sends once more after credentials refused and renewed', async () => {
    const { auth, calls } = strategy(true);
    const r = requests(refused);
    await expect(withRenewal(auth, r.send)).resolves.toBe('ok');
    expect([r.count(), calls.refresh]).toEqual([2, 1]);
  });

  it('only once: refused again after the renewal is the answer', async () => {
    const { auth, calls } = strategy(true);
    const r = requests(refused, refused);
    await expect(withRenewal(auth, r.send)).rejects.toBe(refused);
    expect([r.count(), calls.refresh]).toEqual([2, 1]);
  });

  it('not when the strategy could not renew, or has no renewal', async () => {
    for (const renewed of [false, undefined]) {
      const { auth } = strategy(renewed);
      const r = requests(refused);
      await expect(withRenewal(auth, r.send)).rejects.toBe(refused);
      expect(r.count()).toBe(1);
    }
  });

  it('not when the credentials could not be made: the token endpoint refused, nothing was sent', async () => {
    const { auth, calls } = strategy(true);
    let n = 0;
    const send = async (): Promise<string> => {
      n++;
      throw refused;
    };
    await expect(withRenewal(auth, send)).rejects.toBe(refused);
    expect([n, calls.refresh]).toEqual([1, 0]);
  });

  it('not for any other failure, which is not the credentials', async () => {
    const { auth, calls } = strategy(true);
    const r = requests(down);
    await expect(withRenewal(auth, r.send)).rejects.toBe(down);
    expect([r.count(), calls.refresh]).toEqual([1, 0]);
  });

  it('tells the strategy which credentials were refused, so it renews only current ones', async () => {
    const refusedWith: (Record<string, string> | undefined)[] = [];
    const auth: AuthStrategy = {
      headers: async () => ({}),
      refresh: async (refusedHeaders) => {
        refusedWith.push(refusedHeaders);
        return true;
      },
    };
    let n = 0;
    const result = await withRenewal(auth, async (sent) => {
      sent.headers = { authorization: `Bearer tok-${n}` };
      if (n++ === 0) throw refused;
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(refusedWith).toEqual([{ authorization: 'Bearer tok-0' }]);
  });
});
