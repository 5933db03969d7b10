/**
 * MariaDB with TLS on loopback (`require_secure_transport`): a MySQL-dialect source connects
 * only when the server certificate verifies, host name included (mysql2 checks it only when
 * asked, which licbridge always does). The right CA connects; no CA, a wrong CA, a wrong host
 * name and an expired certificate are each refused with their message naming the certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { TlsSettings } from '../../core/tls.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { startTlsMariadb, type TlsServer } from '../support/tls-servers.js';

describe('MariaDB over verified TLS', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let rogue: TestCa;
  const servers: TlsServer[] = [];
  let good: TlsServer;
  let otherHost: TlsServer;
  let expired: TlsServer;

  beforeAll(async () => {
    ca = await createTestCa('maria-root');
    rogue = await createTestCa('rogue-root');
    const sans = ['DNS:localhost', 'IP:127.0.0.1'];
    const start = async (s: Promise<TlsServer>) => {
      const server = await s;
      servers.push(server);
      return server;
    };
    good = await start(startTlsMariadb(ca.ca, await ca.issue('maria', { cn: 'localhost', sans })));
    otherHost = await start(
      startTlsMariadb(
        ca.ca,
        await ca.issue('maria-other', { cn: 'other.example', sans: ['DNS:other.example'] }),
      ),
    );
    expired = await start(
      startTlsMariadb(ca.ca, await ca.issue('maria-old', { cn: 'expired.localhost', sans, days: -1 })),
    );
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    await ca?.remove();
    await rogue?.remove();
  });

  const check = async (server: TlsServer, tls: TlsSettings | undefined): Promise<string> => {
    const cfg = {
      kind: 'mysql',
      connection: { host: 'localhost', port: server.port, user: 'root', ssl: true, ...(tls ? { tls } : {}) },
      trim: 'all',
      pageSize: 100,
      connectTimeoutMs: 5000,
    } as unknown as SourceConfig;
    const s = await openSource('registry', cfg);
    try {
      await s.checkConnection();
      return 'connected';
    } catch (e) {
      return (e as Error).message;
    } finally {
      await s.close();
    }
  };

  it('the right CA connects', async () => {
    expect(await check(good, { ca: ca.ca })).toBe('connected');
  });

  it('ssl: true alone (public roots) and a wrong CA are refused: not trusted, with subject and expiry', async () => {
    for (const tls of [undefined, { ca: rogue.ca }]) {
      const message = await check(good, tls);
      expect(message).toMatch(/^source registry: TLS refused: the server certificate is not trusted/);
      expect(message).toMatch(/subject O=licbridge test, CN=localhost; expires \d{4}-/);
    }
  });

  it('a certificate for another host name is refused with the host-name message', async () => {
    const message = await check(otherHost, { ca: ca.ca });
    expect(message).toMatch(/^source registry: TLS refused: the server certificate does not name the host/);
    expect(message).toContain('CN=other.example');
  });

  it('an expired certificate is refused with the expiry message', async () => {
    const message = await check(expired, { ca: ca.ca });
    expect(message).toMatch(/^source registry: TLS refused: the server certificate has expired/);
    expect(message).toContain('CN=expired.localhost');
  });

  it('insecureSkipVerify connects to a server the CA does not vouch for', async () => {
    expect(await check(otherHost, { ca: rogue.ca, insecureSkipVerify: true })).toBe('connected');
  });
});
