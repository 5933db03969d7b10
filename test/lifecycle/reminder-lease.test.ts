/**
 * The lease a tick takes on a reminder it sends (pipelines/lifecycle/reminder-sender.ts
 * `sendLeaseMs`) covers the longest send: every attempt timing out, the backoffs between them, and,
 * with credentials that renew, the fetch and the second request a 401 brings within one attempt.
 */
import { describe, expect, it } from 'vitest';
import { sendLeaseMs } from '../../pipelines/lifecycle/reminder-lease.js';

const base = { attempts: 3, timeoutMs: 10_000, backoffMs: 500 } as const;

describe('sendLeaseMs', () => {
  it('is every attempt timing out, the backoffs and 5 s with credentials that do not renew', () => {
    expect(sendLeaseMs({ ...base, auth: { scheme: 'hmac', appKey: 'k', secret: 's' } })).toBe(
      3 * 10_000 + 500 + 1_000 + 5_000,
    );
    expect(sendLeaseMs({ ...base, auth: { scheme: 'appkey-md5', appKey: 'k', secret: 's' } })).toBe(36_500);
  });

  it('counts two requests and two credential fetches an attempt when a 401 renews the credentials', () => {
    const oauth = sendLeaseMs({
      ...base,
      auth: {
        scheme: 'oauth2',
        tokenUrl: 'https://t',
        clientId: 'c',
        clientSecret: 's',
        refreshSkewSeconds: 60,
      },
    });
    // token (10 s), request, refused 401, token again (10 s), request: per attempt.
    expect(oauth).toBe(3 * (2 * 10_000 + 2 * 10_000) + 1_500 + 5_000);
    const md5 = sendLeaseMs({
      ...base,
      auth: { scheme: 'appkey-md5', appKey: 'k', secret: 's', refreshUrl: 'https://r' },
    });
    expect(md5).toBe(oauth);
  });
});
