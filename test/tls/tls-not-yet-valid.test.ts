/**
 * The certificate watch of `licbridge status`: a configured CA or client certificate whose validity
 * has not begun (a renewed one installed before its start) needs a person, as one that has ended
 * does: a handshake refuses it until then. It was said nothing of, as only the end was checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ErrorCodes } from '../../core/errors.js';
import { tlsFailureError } from '../../core/tls.js';
import { tlsAttention } from '../../pipelines/observability/tls-attention.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

const DAY_MS = 86_400_000;
const TZ = 'Asia/Shanghai';

describe('status: TLS certificates not valid yet', { timeout: 60_000 }, () => {
  let ca: TestCa;
  beforeAll(async () => {
    ca = await createTestCa('year-root', 365);
  });
  afterAll(async () => ca?.remove());

  const config = (targets: Record<string, unknown>) =>
    ({
      sources: {},
      signers: {},
      targets,
      queue: { redis: 'redis://127.0.0.1:6379' },
      ledger: { url: 'sqlite://:memory:' },
    }) as unknown as Config;

  it('a client certificate and its CA, looked at before they begin, need a person; once begun, not', async () => {
    const client = await ca.issue('client', { cn: 'department-a', client: true, days: 365 });
    const cfg = config({
      city: { kind: 'rest-json', url: 'https://c.example', tls: { ca: ca.ca, cert: client.cert } },
    });
    const before = new Date(Date.now() - 10 * DAY_MS);
    const flagged = (await tlsAttention(cfg, before, TZ, { probeServers: false })).map((a) => a.message);
    const valid =
      /is valid only from \d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? \+08:00; connections using it are refused until then: configure the certificate in force now, and this one from then on$/;
    expect(flagged).toEqual([
      expect.stringMatching(
        new RegExp(`^target city: the CA certificate \\(subject .*CN=year-root\\) ${valid.source}`),
      ),
      expect.stringMatching(
        new RegExp(`^target city: the client certificate \\(subject .*CN=department-a\\) ${valid.source}`),
      ),
    ]);
    expect(await tlsAttention(cfg, new Date(Date.now() + DAY_MS), TZ, { probeServers: false })).toEqual([]);
  });

  it('a handshake refused for it names when the server certificate begins, not when it ends', () => {
    const peer = {
      subject: 'CN=db01.dept.example',
      notBefore: '2027-03-01T00:00:00.000Z',
      notAfter: '2028-03-01T00:00:00.000Z',
    };
    const where = { connection: 'source market-food', code: ErrorCodes.SOURCE_UNREACHABLE };
    expect(tlsFailureError('not-yet-valid', where, peer).message).toBe(
      'source market-food: TLS refused: the server certificate is not valid yet: it was installed before its start, or the clocks of the two hosts differ (server certificate: subject CN=db01.dept.example; valid from 2027-03-01T00:00:00.000Z)',
    );
    // Other refusals go on naming its end.
    expect(tlsFailureError('expired', where, peer).message).toMatch(
      /\(server certificate: subject CN=db01\.dept\.example; expires 2028-03-01T00:00:00\.000Z\)$/,
    );
  });
});
