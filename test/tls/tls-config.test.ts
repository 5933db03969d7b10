/**
 * The driver options each SQL dialect builds from `ssl` / `encrypt` / `tls`: verification is on
 * whenever TLS is on (the old `ssl: true` meant TLS with `rejectUnauthorized: false`), mssql
 * encrypts by default, oracle thin mode gets TCPS with DN matching and a PEM wallet; and Node's
 * TLS error codes map to the kinds the messages are built from.
 */
import { describe, expect, it } from 'vitest';
import { insecureTlsSettings } from '../../config/tls-findings.js';
import type { Config, SourceConfig } from '../../config/types.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { tlsFailureKind } from '../../core/tls.js';

const source = (kind: string, connection: Record<string, unknown>) =>
  ({
    kind,
    connection: { host: 'db.example', user: 'u', ...connection },
    trim: 'all',
    pageSize: 10,
  }) as unknown as SourceConfig;
// biome-ignore lint/suspicious/noExplicitAny: knex's connection union is read field by field here.
const conn = async (dialect: typeof postgresDialect, cfg: SourceConfig): Promise<any> =>
  (await dialect.knexConfig('s', cfg)).connection;

describe('SQL dialects: TLS is verified whenever it is on', () => {
  it('postgres: ssl: true verifies the certificate; tls.ca is the trust; no ssl, no TLS', async () => {
    expect((await conn(postgresDialect, source('postgres', { ssl: true }))).ssl).toMatchObject({
      rejectUnauthorized: true,
    });
    const withCa = (await conn(postgresDialect, source('postgres', { tls: { ca: 'PEM' } }))).ssl;
    expect(withCa).toMatchObject({ rejectUnauthorized: true, ca: 'PEM', minVersion: 'TLSv1.2' });
    expect((await conn(postgresDialect, source('postgres', {}))).ssl).toBeUndefined();
  });

  it('mysql: ssl: true verifies the certificate and the host name (mysql2 needs verifyIdentity)', async () => {
    const ssl = (await conn(mysqlDialect, source('mysql', { ssl: true }))).ssl;
    expect(ssl).toMatchObject({ rejectUnauthorized: true, verifyIdentity: true });
  });

  it('only insecureSkipVerify turns verification off', async () => {
    const ssl = (await conn(mysqlDialect, source('mysql', { tls: { insecureSkipVerify: true } }))).ssl;
    expect(ssl).toMatchObject({ rejectUnauthorized: false, verifyIdentity: false });
  });

  it('mssql: encrypted and verified by default; tls.ca and servername reach tedious', async () => {
    const plain = (await conn(mssqlDialect, source('mssql', {}))).options;
    expect(plain).toMatchObject({ encrypt: true, trustServerCertificate: false });
    const withCa = (await conn(mssqlDialect, source('mssql', { tls: { ca: 'PEM', servername: 'sql.gov' } })))
      .options;
    expect(withCa).toMatchObject({
      encrypt: true,
      trustServerCertificate: false,
      serverName: 'sql.gov',
      cryptoCredentialsDetails: { ca: 'PEM' },
    });
  });

  it('oracle thin mode: TCPS, the server DN matched, CA and client identity as a PEM wallet', async () => {
    const c = await conn(
      oracleDialect,
      source('oracle', {
        port: 2484,
        database: 'ORCL',
        tls: { ca: 'CA', cert: 'CERT', key: 'KEY', passphrase: 'pw' },
      }),
    );
    expect(c).toMatchObject({
      connectString: 'tcps://db.example:2484/ORCL',
      sslServerDNMatch: true,
      walletContent: 'CERT\nKEY\nCA',
      walletPassword: 'pw',
    });
    expect((await conn(oracleDialect, source('oracle', { database: 'ORCL' }))).connectString).toBe(
      'db.example:1521/ORCL',
    );
  });
});

describe('Node TLS error codes → what went wrong', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'host-mismatch'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'client-cert-required'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'client-cert-rejected'],
    ['ERR_OSSL_BAD_DECRYPT', 'client-key'],
  ])('%s → %s, found through a wrapping error too', (code, kind) => {
    const inner = Object.assign(new Error('x'), { code });
    expect(tlsFailureKind(inner)).toBe(kind);
    expect(tlsFailureKind(new Error('wrapped', { cause: inner }))).toBe(kind);
  });

  it('a refused connection is not a TLS failure', () => {
    expect(
      tlsFailureKind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBeUndefined();
  });
});

describe('settings that switch verification off are all flagged', () => {
  const config = (extra: Record<string, unknown>) =>
    ({
      sources: {},
      signers: {},
      targets: {},
      queue: { redis: 'redis://127.0.0.1:6379' },
      ledger: { url: 'sqlite://:memory:' },
      ...extra,
    }) as unknown as Config;

  it('insecureSkipVerify anywhere, mssql trustServerCertificate, ledger sslmode=no-verify, NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
    const flagged = insecureTlsSettings(
      config({
        sources: { food: { kind: 'mssql', connection: { host: 'sql', trustServerCertificate: true } } },
        targets: { city: { kind: 'soap-xml', url: 'https://c', tls: { insecureSkipVerify: true } } },
        signers: { seal: { kind: 'remote', url: 'https://s', tls: { insecureSkipVerify: true } } },
        queue: { redis: { cluster: ['r:6379'], tls: { insecureSkipVerify: true }, db: 0 } },
        ledger: { url: 'postgres://l@db/licbridge?sslmode=no-verify' },
      }),
      { NODE_TLS_REJECT_UNAUTHORIZED: '0' },
    );
    expect(flagged.map((m) => m.split(':')[0])).toEqual([
      'environment',
      'source food',
      'target city',
      'signer seal',
      'queue',
      'ledger',
    ]);
    expect(insecureTlsSettings(config({}), {})).toEqual([]);
  });
});

describe('Redis: every form of queue.redis verifies TLS with the configured CA', () => {
  it('rediss:// string, the url mapping, Sentinel and Cluster', async () => {
    const { queueConnection } = await import('../../pipelines/redis.js');
    expect(queueConnection('rediss://r:6380').tls).toMatchObject({ rejectUnauthorized: true });
    expect(queueConnection('redis://r:6379').tls).toBeUndefined();
    const byUrl = queueConnection({ url: 'rediss://r:6380', tls: { ca: 'CA' }, db: 0 });
    expect(byUrl.tls).toMatchObject({ rejectUnauthorized: true, ca: 'CA' });
    const sentinel = queueConnection({ sentinels: ['s:26379'], name: 'm', tls: { ca: 'CA' }, db: 0 });
    expect(sentinel).toMatchObject({
      enableTLSForSentinelMode: true,
      tls: { rejectUnauthorized: true, ca: 'CA' },
      sentinelTLS: { rejectUnauthorized: true, ca: 'CA' },
    });
    const cluster = queueConnection({ cluster: ['c:7000'], tls: true, db: 0 });
    expect(cluster.tls).toMatchObject({ rejectUnauthorized: true });
  });
});
