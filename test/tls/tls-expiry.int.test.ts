/**
 * The certificate expiry watch of `licbridge status`: a configured CA or client certificate that
 * expires within 30 days, or has expired, needs a person; one valid for a year does not. Also the
 * server's certificate, read from a live HTTPS server. Certificates come from the test's own CA.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { tlsAttention } from '../../pipelines/observability/tls-attention.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

describe('status: TLS certificates near their expiry', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let shortCa: TestCa;
  beforeAll(async () => {
    ca = await createTestCa('year-root', 365);
    shortCa = await createTestCa('month-root', 10);
  });
  afterAll(async () => {
    await ca?.remove();
    await shortCa?.remove();
  });

  const config = (targets: Record<string, unknown>) =>
    ({
      sources: {},
      signers: {},
      targets,
      queue: { redis: 'redis://127.0.0.1:6379' },
      ledger: { url: 'sqlite://:memory:' },
    }) as unknown as Config;
  const messages = async (cfg: Config, probeServers = false) =>
    (await tlsAttention(cfg, new Date(), 'Asia/Shanghai', { probeServers })).map((a) => a.message);

  it('a CA expiring in 10 days and an expired client certificate need a person; a year-long CA does not', async () => {
    const expiredClient = await ca.issue('old-client', { cn: 'department-a', client: true, days: -1 });
    const flagged = await messages(
      config({
        province: { kind: 'rest-json', url: 'https://p.example', tls: { ca: shortCa.ca } },
        city: { kind: 'rest-json', url: 'https://c.example', tls: { ca: ca.ca, cert: expiredClient.cert } },
      }),
    );
    expect(flagged).toEqual([
      expect.stringMatching(
        /^target province: the CA certificate \(subject .*CN=month-root\) expires on .* \(in (9|10) day\(s\)\): renew it now$/,
      ),
      expect.stringMatching(/^target city: the client certificate \(subject .*CN=department-a\) expired on /),
    ]);
    expect(
      await messages(config({ p: { kind: 'rest-json', url: 'https://p.example', tls: { ca: ca.ca } } })),
    ).toEqual([]);
  });

  it("a server's certificate expiring within 30 days needs a person", async () => {
    const cert = await ca.issue('short-server', { cn: 'localhost', sans: ['DNS:localhost'], days: 20 });
    const server = createServer({ cert: cert.cert, key: cert.key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const flagged = await messages(
        config({ province: { kind: 'rest-json', url: `https://127.0.0.1:${port}`, tls: { ca: ca.ca } } }),
        true,
      );
      expect(flagged).toEqual([
        expect.stringMatching(
          /^target province: the server certificate \(subject .*CN=localhost\) expires on .* \(in (19|20) day\(s\)\)/,
        ),
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
