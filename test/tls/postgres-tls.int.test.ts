/**
 * PostgreSQL with TLS on loopback, certificates from a CA the test makes: a source and the
 * ledger connect only when the certificate verifies. `ssl: true` with the right CA connects;
 * a wrong CA, a wrong host name and an expired server certificate are each refused with their
 * own message naming the source and the certificate's subject and expiry;
 * `tls.insecureSkipVerify` connects and is flagged. The ledger honours `sslmode` in its URL.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { insecureTlsSettings } from '../../config/tls-findings.js';
import type { Config, SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { TlsSettings } from '../../core/tls.js';
import { probeServerCertificate } from '../../core/tls-probe.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliveryItem } from '../platforms/license-fixture.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { startTlsPostgres, type TlsServer, until } from '../support/tls-servers.js';

describe('PostgreSQL over verified TLS', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let rogue: TestCa;
  let good: IssuedCertificate;
  let pg: TlsServer;

  beforeAll(async () => {
    ca = await createTestCa('db-root');
    rogue = await createTestCa('rogue-root');
    good = await ca.issue('pg', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    pg = await startTlsPostgres(good);
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
    await ca?.remove();
    await rogue?.remove();
  });

  const source = (tls: TlsSettings | undefined, host = 'localhost'): SourceConfig =>
    ({
      kind: 'postgres',
      connection: {
        host,
        port: pg.port,
        database: 'postgres',
        user: 'postgres',
        ssl: true,
        ...(tls ? { tls } : {}),
      },
      trim: 'all',
      pageSize: 100,
      connectTimeoutMs: 5000,
    }) as unknown as SourceConfig;
  const check = async (cfg: SourceConfig): Promise<string> => {
    const s = await openSource('permits', cfg);
    try {
      await s.checkConnection();
      return 'connected';
    } catch (e) {
      return (e as Error).message;
    } finally {
      await s.close();
    }
  };
  const serving = (cn: string) =>
    until(
      async () =>
        (
          await probeServerCertificate({ host: '127.0.0.1', port: pg.port, startTls: 'postgres' })
        )?.subject.includes(`CN=${cn}`) === true,
    );

  it('ssl: true with the CA in tls.ca connects; by IP address too (the certificate names it)', async () => {
    expect(await check(source({ ca: ca.ca }))).toBe('connected');
    expect(await check(source({ ca: ca.ca }, '127.0.0.1'))).toBe('connected');
  });

  it('ssl: true without the CA is refused: the server certificate is not trusted, named with subject and expiry', async () => {
    const message = await check(source(undefined));
    expect(message).toMatch(/^source permits: TLS refused: the server certificate is not trusted/);
    expect(message).toMatch(/subject O=licbridge test, CN=localhost; expires \d{4}-\d\d-\d\dT/);
  });

  it('a CA that did not issue the server certificate is refused the same way', async () => {
    expect(await check(source({ ca: rogue.ca }))).toMatch(
      /^source permits: TLS refused: the server certificate is not trusted/,
    );
  });

  it('insecureSkipVerify connects to the untrusted server, and is flagged as needing a person', async () => {
    const cfg = source({ ca: rogue.ca, insecureSkipVerify: true });
    expect(await check(cfg)).toBe('connected');
    const flagged = insecureTlsSettings({
      sources: { permits: cfg },
      targets: {},
      signers: {},
      queue: { redis: 'redis://127.0.0.1:6379' },
      ledger: { url: 'sqlite://:memory:' },
    } as unknown as Config);
    expect(flagged).toEqual([expect.stringMatching(/^source permits: TLS certificate verification is off/)]);
  });

  it('the ledger honours sslmode=verify-full with sslrootcert, and names a refused certificate', async () => {
    const caFile = join(ca.dir, 'ledger-ca.pem');
    const rogueFile = join(ca.dir, 'ledger-rogue.pem');
    await writeFile(caFile, ca.ca);
    await writeFile(rogueFile, rogue.ca);
    const url = (root: string) =>
      `postgres://postgres@localhost:${pg.port}/postgres?sslmode=verify-full&sslrootcert=${root}&schema=tls_${process.pid}`;
    const ledger = await openLedger(url(caFile), { retryBudgetMs: 0 });
    await ledger.close();
    const refused = await openLedger(url(rogueFile), { retryBudgetMs: 0 }).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(
      /^ledger: TLS refused: the server certificate is not trusted.*CN=localhost/,
    );
  });

  it('a front-db target on the TLS server delivers with the CA, and is refused naming the certificate without it', async () => {
    const target = (tls: TlsSettings) =>
      new FrontDbTarget('city', {
        kind: 'front-db',
        client: 'postgres',
        connection: { host: 'localhost', port: pg.port, database: 'postgres', user: 'postgres', tls },
        table: 'UP_LIC_DATA',
        dataSource: '11370211MB12345672',
        createTable: true,
        batchSize: 10,
        timeoutMs: 10_000,
        concurrency: 2,
        attempts: 8,
      } as unknown as FrontDbTargetConfig);
    const good = target({ ca: ca.ca });
    try {
      const [outcome] = await good.deliver([deliveryItem(1, { target: 'city' })]);
      expect(outcome?.state).toBe('accepted');
    } finally {
      await good.close();
    }
    const refused = target({ ca: rogue.ca });
    try {
      const err = (await refused
        .deliver([deliveryItem(2, { target: 'city' })])
        .catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(
        /^target city: TLS refused: the server certificate is not trusted.*CN=localhost/,
      );
    } finally {
      await refused.close();
    }
  });

  it('a server certificate for another host name is refused with the host-name message', async () => {
    await pg.useCertificate?.(
      await ca.issue('pg-other', { cn: 'other.example', sans: ['DNS:other.example'] }),
    );
    await serving('other.example');
    const message = await check(source({ ca: ca.ca }));
    expect(message).toMatch(/^source permits: TLS refused: the server certificate does not name the host/);
    expect(message).toContain('CN=other.example');
  });

  it('an expired server certificate is refused with the expiry message', async () => {
    await pg.useCertificate?.(
      await ca.issue('pg-expired', { cn: 'expired.localhost', sans: ['DNS:localhost'], days: -1 }),
    );
    await serving('expired.localhost');
    const message = await check(source({ ca: ca.ca }));
    expect(message).toMatch(/^source permits: TLS refused: the server certificate has expired/);
    expect(message).toContain('CN=expired.localhost');
  });
});
