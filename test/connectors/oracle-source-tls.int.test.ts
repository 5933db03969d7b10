/**
 * An Oracle source with `connection.tls`: knex hands node-oracledb only the user, the password and
 * the connect string (knex/lib/dialects/oracledb acquireRawConnection), so the wallet made of
 * `tls` (CA, client certificate and key), its password and the DN match never reached the driver:
 * the configured CA went unused (the server was verified against Node's public roots) and no client
 * certificate was presented. The source now opens through the client the Oracle front database
 * uses (connectors/sql/dialects/oracle/knex-client.ts), and refuses what the front database refuses
 * (core/oracle-tls.ts). No Oracle server runs in the tests: a TLS server with the test CA's
 * certificate stands where the database listens, and sees whether a handshake completes and which
 * client certificate it was shown.
 */
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { LicbridgeError } from '../../core/errors.js';
import type { TlsSettings } from '../../core/tls.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { type TlsListener, tlsListener } from '../support/tls-listener.js';

describe('Oracle source with connection.tls', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let rogue: TestCa;
  let client: IssuedCertificate;
  let locked: IssuedCertificate;
  let listener: TlsListener;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    rogue = await createTestCa('rogue-root');
    const server = await gov.issue('oracle', { cn: 'localhost', sans: ['DNS:localhost'] });
    client = await gov.issue('department', { cn: 'department-a', client: true });
    locked = await gov.issue('department-locked', { cn: 'department-b', client: true, passphrase: 'pw' });
    listener = await tlsListener(server, gov.ca);
  });
  afterAll(async () => {
    await listener?.close();
    await gov?.remove();
    await rogue?.remove();
  });

  const reach = async (tls: TlsSettings, connection: Record<string, unknown> = {}) => {
    const config = {
      kind: 'oracle',
      connection: {
        host: 'localhost',
        port: listener.port,
        database: 'ORCL',
        user: 'lic',
        password: 'pw',
        tls,
        ...connection,
      },
      connectTimeoutMs: 5_000,
    } as unknown as SourceConfig;
    listener.seen.length = 0;
    let error: unknown;
    try {
      const source = await openSource('market-food', config);
      try {
        // The login cannot pass: what reached the server, and how the source failed, count.
        await source.checkConnection();
      } finally {
        await source.close();
      }
    } catch (e) {
      error = e;
    }
    await listener.settled();
    return { seen: [...listener.seen], error: error as LicbridgeError | undefined };
  };

  it('speaks TLS, verified with the CA in tls.ca, and presents the client certificate', async () => {
    const { seen, error } = await reach({ ca: gov.ca, cert: client.cert, key: client.key });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ handshake: true, clientCn: 'department-a' });
    expect(error?.message).not.toMatch(/TLS refused/);
  });

  it('an encrypted client key with tls.passphrase: the certificate is presented', async () => {
    const { seen } = await reach({ ca: gov.ca, cert: locked.cert, key: locked.key, passphrase: 'pw' });
    expect(seen[0]).toEqual({ handshake: true, clientCn: 'department-b' });
  });

  it('a CA that did not issue the server certificate: no handshake, refused as TLS', async () => {
    const { seen, error } = await reach({ ca: rogue.ca, cert: client.cert, key: client.key });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => !s.handshake)).toBe(true);
    expect(error?.message).toMatch(/^source market-food: TLS refused/);
  });

  it('tls.ca without a client certificate and key: refused, nothing sent', async () => {
    const { seen, error } = await reach({ ca: gov.ca });
    expect(seen).toEqual([]);
    expect(error?.code).toBe('LB_CONFIG_INVALID');
    expect(error?.message).toMatch(
      /^source market-food: `connection.tls.ca` needs `tls.cert` and `tls.key` on an Oracle source/,
    );
  });

  it('a client certificate and key without tls.ca: refused, nothing sent', async () => {
    const { seen, error } = await reach({ cert: client.cert, key: client.key });
    expect(seen).toEqual([]);
    expect(error?.code).toBe('LB_CONFIG_INVALID');
    expect(error?.message).toMatch(
      /^source market-food: `connection.tls.cert` and `tls.key` need `tls.ca` on an Oracle source/,
    );
  });

  it('a database carrying Easy Connect settings: refused, nothing sent, the value never quoted', async () => {
    const tls = { ca: gov.ca, cert: client.cert, key: client.key };
    const { seen, error } = await reach(tls, { database: 'ORCL?ssl_server_dn_match=off' });
    expect(seen).toEqual([]);
    expect(error?.code).toBe('LB_CONFIG_INVALID');
    expect(error?.message).toMatch(/^source market-food: `connection.database` is not a plain service name/);
    expect(error?.message).not.toContain('ORCL?');
  });

  it('a written connectString speaking plain TCP: refused, nothing sent', async () => {
    const tls = { ca: gov.ca, cert: client.cert, key: client.key };
    const { seen, error } = await reach(tls, { connectString: `localhost:${listener.port}/ORCL` });
    expect(seen).toEqual([]);
    expect(error?.code).toBe('LB_CONFIG_INVALID');
    expect(error?.message).toMatch(/^source market-food: expected `connection.connectString` to speak TCPS/);
  });

  it('a written tcps:// connectString: verified with the wallet', async () => {
    const tls = { ca: gov.ca, cert: client.cert, key: client.key };
    const { seen } = await reach(tls, { connectString: `tcps://localhost:${listener.port}/ORCL` });
    expect(seen[0]).toEqual({ handshake: true, clientCn: 'department-a' });
  });
});

describe('an Oracle source through its own knex client', () => {
  it('still asks node-oracledb for NUMBER and CLOB as text (the front database leaves that alone)', async () => {
    const oracledb = createRequire(import.meta.url)('oracledb') as {
      fetchAsString: unknown[];
      NUMBER: unknown;
      CLOB: unknown;
    };
    const before = oracledb.fetchAsString;
    // Where the database would listen: each connection is dropped, so no login passes.
    const server = createTcpServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      oracledb.fetchAsString = [];
      const config = {
        kind: 'oracle',
        connection: {
          host: '127.0.0.1',
          port: (server.address() as AddressInfo).port,
          database: 'ORCL',
          user: 'lic',
          password: 'pw',
        },
        connectTimeoutMs: 5_000,
      } as unknown as SourceConfig;
      const source = await openSource('market-food', config);
      try {
        await expect(source.checkConnection()).rejects.toThrow(/^source market-food: /);
      } finally {
        await source.close();
      }
      expect(oracledb.fetchAsString).toEqual([oracledb.NUMBER, oracledb.CLOB]);
    } finally {
      oracledb.fetchAsString = before;
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
