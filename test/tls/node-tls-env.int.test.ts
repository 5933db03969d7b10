/**
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` switches off only the verification a connection leaves to
 * Node's default. Every `tls:` setting states its own (core/tls.ts nodeTlsOptions), so a source
 * with `ssl: true` is still refused by an untrusted server; node-postgres builds the ledger's TLS
 * from `sslmode` in its URL (or `PGSSLMODE`) and states nothing, so the variable lets the ledger
 * connect to a server nobody verified. config check and status name what it reaches.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insecureTlsSettings } from '../../config/tls-findings.js';
import type { Config, SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { startTlsPostgres, type TlsServer } from '../support/tls-servers.js';

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 and the database drivers', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let good: IssuedCertificate;
  let pg: TlsServer;
  const saved = {
    reject: process.env.NODE_TLS_REJECT_UNAUTHORIZED,
    mode: process.env.PGSSLMODE,
  };

  beforeAll(async () => {
    ca = await createTestCa('env-db-root');
    good = await ca.issue('pg', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    pg = await startTlsPostgres(good);
  }, 60_000);
  afterEach(() => {
    for (const [k, v] of [
      ['NODE_TLS_REJECT_UNAUTHORIZED', saved.reject],
      ['PGSSLMODE', saved.mode],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(async () => {
    await pg?.stop();
    await ca?.remove();
  });

  const ledgerOpens = async (url: string): Promise<string> => {
    try {
      const ledger = await openLedger(url, { retryBudgetMs: 0 });
      await ledger.close();
      return 'connected';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const source = {
    kind: 'postgres',
    connection: { host: 'localhost', port: 0, database: 'postgres', user: 'postgres', ssl: true },
    trim: 'all',
    pageSize: 100,
    connectTimeoutMs: 5000,
  };
  const sourceConnects = async (ssl: { ssl: boolean }): Promise<string> => {
    const cfg = {
      ...source,
      connection: { ...source.connection, ...ssl, port: pg.port },
    } as unknown as SourceConfig;
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

  it('the ledger (sslmode in its URL, or PGSSLMODE) connects unverified; a source with ssl: true does not', async () => {
    const url = (q: string) =>
      `postgres://postgres@localhost:${pg.port}/postgres?schema=env_${process.pid}${q}`;
    // Without the variable, the public roots do not hold the test CA: refused.
    expect(await ledgerOpens(url('&sslmode=verify-full'))).toMatch(/^ledger: TLS refused/);
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    expect(await ledgerOpens(url('&sslmode=verify-full'))).toBe('connected');
    process.env.PGSSLMODE = 'require';
    expect(await ledgerOpens(url(''))).toBe('connected');
    expect(await sourceConnects({ ssl: true })).toMatch(
      /^source permits: TLS refused: the server certificate is not trusted/,
    );
  });

  it('PGSSLMODE turns TLS on for a source without tls or ssl: true, which the variable then leaves unverified', async () => {
    process.env.PGSSLMODE = 'require';
    expect(await sourceConnects({ ssl: false })).toMatch(/^source permits: TLS refused/);
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    expect(await sourceConnects({ ssl: false })).toBe('connected');
  });

  it('config check names the connections the variable reaches, and says the others state their own', () => {
    const config = (ledger: string, extra: Record<string, unknown> = {}) =>
      ({
        sources: { permits: source },
        targets: { city: { kind: 'rest-json', url: 'https://c' } },
        signers: {},
        queue: { redis: 'rediss://r:6380' },
        ledger: { url: ledger },
        ...extra,
      }) as unknown as Config;
    const on = { NODE_TLS_REJECT_UNAUTHORIZED: '0' };
    expect(insecureTlsSettings(config('postgres://l@db/licbridge?sslmode=verify-full'), on)[0]).toBe(
      'environment: NODE_TLS_REJECT_UNAUTHORIZED=0 switches off TLS certificate verification for the ledger (`sslmode=verify-full` in `ledger.url`), whose driver (node-postgres) leaves it to Node: unset it. HTTPS targets, signing servers, Redis and database connections with `tls` or `ssl: true` state their verification, and it does not reach them',
    );
    expect(
      insecureTlsSettings(config('postgres://l@db/licbridge'), { ...on, PGSSLMODE: 'verify-ca' })[0],
    ).toContain('for the ledger (`PGSSLMODE=verify-ca`, `ledger.url` setting no `sslmode`), whose driver');
    const bare = { sources: { permits: { ...source, connection: { host: 'db' } } } };
    expect(
      insecureTlsSettings(config('sqlite://:memory:', bare), { ...on, PGSSLMODE: 'require' })[0],
    ).toContain('for source permits (`PGSSLMODE=require`, no `tls` set), whose driver');
    // A ledger in the clear, in SQLite, or unverified already (flagged on its own line): nothing it reaches.
    for (const url of [
      'postgres://l@db/licbridge',
      'sqlite://:memory:',
      'postgres://l@db/x?sslmode=disable',
    ]) {
      expect(insecureTlsSettings(config(url), on)[0]).toBe(
        'environment: NODE_TLS_REJECT_UNAUTHORIZED=0 is set: no connection of this config leaves verification to Node (HTTPS targets, signing servers, Redis and database connections with `tls` or `ssl: true` state theirs), but a PostgreSQL ledger using TLS would be unverified: unset it',
      );
    }
  });
});
