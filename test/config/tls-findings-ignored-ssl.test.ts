/**
 * `connection.ssl: true` on an Oracle or SQL Server source or front database. Neither driver
 * reads `ssl` (Oracle's TLS is `tls`, a TCPS address; SQL Server's is `encrypt` and `tls`), so
 * such a connection with no other TLS key went in the clear, while `config check` and `status`
 * said nothing and took it for TLS on. Each is now reported, naming the key and what TLS follows;
 * `ssl` where the driver honours it (PostgreSQL, MySQL) is not.
 */
import { describe, expect, it } from 'vitest';
import { insecureTlsSettings, tlsServerEndpoints } from '../../config/tls-findings.js';
import type { Config } from '../../config/types.js';

const config = (extra: Record<string, unknown>) =>
  ({
    sources: {},
    signers: {},
    targets: {},
    queue: { redis: 'redis://127.0.0.1:6379' },
    ledger: { url: 'sqlite://:memory:' },
    ...extra,
  }) as unknown as Config;

const frontDb = (client: string, connection: Record<string, unknown>) => ({
  kind: 'front-db',
  client,
  connection: { host: 'front.example', ...connection },
  table: 'UP_LIC_DATA',
});

describe('ssl: true where the driver ignores it', () => {
  it('an Oracle source or front database: reported as TLS off, naming the key', () => {
    const found = insecureTlsSettings(
      config({
        sources: { ora: { kind: 'oracle', connection: { host: 'o', database: 'ORCL', ssl: true } } },
        targets: { city: frontDb('oracle', { database: 'ORCL', ssl: true }) },
      }),
      {},
    );
    expect(found).toEqual([
      'source ora: `sources.ora.connection.ssl` is ignored by the oracle driver, and no other key turns TLS on: the connection is not encrypted; set `sources.ora.connection.tls` (a TCPS address), or remove `ssl`',
      'target city: `targets.city.connection.ssl` is ignored by the oracle driver, and no other key turns TLS on: the connection is not encrypted; set `targets.city.connection.tls` (a TCPS address), or remove `ssl`',
    ]);
  });

  it('a SQL Server one with encrypt: false: reported as TLS off', () => {
    const found = insecureTlsSettings(
      config({ targets: { city: frontDb('mssql', { ssl: true, encrypt: false }) } }),
      {},
    );
    expect(found).toEqual([
      "target city: `targets.city.connection.ssl` is ignored by the mssql driver, and no other key turns TLS on: the connection is not encrypted; set `targets.city.connection.encrypt: true` (with the server's CA in `tls.ca`), or remove `ssl`",
    ]);
  });

  it('nothing reported where TLS is on by the keys the driver reads, or where ssl is honoured', () => {
    const found = insecureTlsSettings(
      config({
        sources: {
          ms: { kind: 'mssql', connection: { host: 'm', ssl: true } },
          ora: {
            kind: 'oracle',
            connection: {
              host: 'o',
              database: 'ORCL',
              ssl: true,
              tls: { ca: '-----BEGIN CERTIFICATE-----\nsynthetic\n-----END CERTIFICATE-----\n' },
            },
          },
          pg: { kind: 'postgres', connection: { host: 'p', ssl: true } },
          my: { kind: 'mysql', connection: { host: 'y', ssl: true } },
        },
      }),
      {},
    );
    expect(found).toEqual([]);
  });

  it('nothing reported for an Oracle connection whose written connectString speaks TCPS', () => {
    const descriptor =
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=o)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=ORCL)))';
    const found = insecureTlsSettings(
      config({
        sources: { ora: { kind: 'oracle', connection: { connectString: 'tcps://o:2484/ORCL', ssl: true } } },
        targets: { city: frontDb('oracle', { connectString: descriptor, ssl: true }) },
      }),
      {},
    );
    expect(found).toEqual([]);
  });

  it('an Oracle connectString with an address in plain TCP is reported as TLS off', () => {
    const descriptor =
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=o)(PORT=2484))(ADDRESS=(HOST=o2)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCL)))';
    const found = insecureTlsSettings(
      config({ targets: { city: frontDb('oracle', { connectString: descriptor, ssl: true }) } }),
      {},
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('`targets.city.connection.ssl` is ignored by the oracle driver');
  });

  it('a PostgreSQL front database with ssl: true is a TLS server to watch; ssl alone makes none elsewhere', () => {
    const servers = tlsServerEndpoints(
      config({
        targets: {
          pg: frontDb('postgres', { ssl: true }),
          ora: frontDb('oracle', { ssl: true }),
          ms: frontDb('mssql', { ssl: true, encrypt: false }),
        },
      }),
    );
    expect(servers.map((s) => s.connection)).toEqual(['target pg']);
  });
});
