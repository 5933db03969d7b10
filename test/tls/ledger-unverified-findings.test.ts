/**
 * node-postgres switches the ledger's certificate check off for `ssl=no-verify` in `ledger.url`
 * (pg reads it as `rejectUnauthorized: false`) and, when the URL names none of `sslmode`, `ssl`,
 * the `ssl*` files and `sslnegotiation=direct`, for `PGSSLMODE=no-verify`, which reaches the
 * PostgreSQL sources and front databases without `tls` or `ssl: true` too. `config check` and
 * `status` flagged only `sslmode=no-verify`; each of these is now a line of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeTlsEnvironmentFinding } from '../../config/tls-environment.js';
import { insecureTlsSettings, tlsServerEndpoints } from '../../config/tls-findings.js';
import type { Config } from '../../config/types.js';

// A CA file that is there, and CA text that reads as PEM: a missing file or text with no
// certificate is a finding of its own (config/ca-file-problems.ts), not the one looked at here.
const caDir = mkdtempSync(join(tmpdir(), 'lb-ledger-ca-'));
const caFile = join(caDir, 'db-ca.pem');
writeFileSync(caFile, '');
const PEM = '-----BEGIN CERTIFICATE-----\nsynthetic\n-----END CERTIFICATE-----\n';
afterAll(() => rmSync(caDir, { recursive: true, force: true }));

const config = (url: string, extra: Record<string, unknown> = {}) =>
  ({
    sources: {},
    signers: {},
    targets: {},
    queue: { redis: 'redis://127.0.0.1:6379' },
    ledger: { url },
    ...extra,
  }) as unknown as Config;

const advice =
  'anyone on the network path can impersonate the server; use `sslmode=verify-full&sslrootcert=/path/ca.pem` in `ledger.url`';
const ledgerOff = (by: string) => `ledger: TLS certificate verification is off (${by}): ${advice}`;

describe('ledger TLS left unverified by ssl=no-verify or PGSSLMODE=no-verify', () => {
  it('flags ssl=no-verify in ledger.url as sslmode=no-verify is', () => {
    expect(insecureTlsSettings(config('postgres://l@db/licbridge?ssl=no-verify'), {})).toEqual([
      ledgerOff('`ssl=no-verify` in `ledger.url`'),
    ]);
    expect(insecureTlsSettings(config('postgres://l@db/licbridge?sslmode=no-verify'), {})).toEqual([
      ledgerOff('`sslmode=no-verify` in `ledger.url`'),
    ]);
  });

  it('flags PGSSLMODE=no-verify for a ledger whose URL sets no TLS of its own', () => {
    expect(insecureTlsSettings(config('postgres://l@db/licbridge'), { PGSSLMODE: 'no-verify' })).toEqual([
      ledgerOff('`PGSSLMODE=no-verify`, `ledger.url` setting no `sslmode`'),
    ]);
  });

  it('says nothing where the URL decides over the variable, or verifies', () => {
    const env = { PGSSLMODE: 'no-verify' };
    for (const query of [
      'sslmode=verify-full',
      'sslmode=disable',
      `sslrootcert=${caFile}`,
      'ssl=true',
      'ssl=0',
      'sslnegotiation=direct',
      'ssl=no-verify&sslmode=verify-full',
      `ssl=no-verify&sslrootcert=${caFile}`,
    ]) {
      expect(insecureTlsSettings(config(`postgres://l@db/licbridge?${query}`), env), query).toEqual([]);
    }
    expect(insecureTlsSettings(config('sqlite://:memory:'), env)).toEqual([]);
  });

  it('flags the PostgreSQL sources PGSSLMODE=no-verify reaches, not those with tls or ssl: true', () => {
    const pg = (connection: Record<string, unknown>) => ({
      kind: 'postgres',
      connection: { host: 'db', database: 'permits', ...connection },
    });
    const found = insecureTlsSettings(
      config('postgres://l@db/licbridge?sslmode=verify-full', {
        sources: { bare: pg({}), ssl: pg({ ssl: true }), tls: pg({ tls: { ca: PEM } }) },
      }),
      { PGSSLMODE: 'no-verify' },
    );
    expect(found).toEqual([
      'source bare: TLS certificate verification is off (`PGSSLMODE=no-verify`, no `tls` set): anyone on the network path can impersonate the server; put its CA in `sources.bare.connection.tls.ca` and remove the setting',
    ]);
  });

  it('lists the ledger among the servers to read a certificate from whenever ssl= turns TLS on', () => {
    const ledger = { host: 'db', port: 5433, startTls: 'postgres' };
    for (const ssl of ['true', 'no-verify']) {
      expect(tlsServerEndpoints(config(`postgres://l@db:5433/licbridge?ssl=${ssl}`))).toEqual([
        { connection: 'ledger', endpoint: ledger },
      ]);
    }
    expect(tlsServerEndpoints(config('postgres://l@db:5433/licbridge?ssl=0&sslmode=disable'))).toEqual([]);
  });

  it('sslnegotiation=direct turns TLS on (left to Node) and PGSSLMODE is not read', () => {
    const finding = nodeTlsEnvironmentFinding(config('postgres://l@db/licbridge?sslnegotiation=direct'), {
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      PGSSLMODE: 'disable',
    });
    expect(finding).toContain('for the ledger (`sslnegotiation=direct` in `ledger.url`), whose driver');
  });
});
