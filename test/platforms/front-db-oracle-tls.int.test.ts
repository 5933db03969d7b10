/**
 * An Oracle front database with `connection.tls`: knex builds the connect string from `host`,
 * `port` and `database` as plain TCP and hands node-oracledb only the user, the password and that
 * string, so the wallet made of `tls` (CA, client certificate and key) and the DN match never
 * reached the driver: the target spoke TNS in the clear to a server it was told to verify, while
 * the config read as verified. No Oracle server runs in the tests: a TLS server with the test CA's
 * certificate stands where the database listens (test/support/tls-listener.ts), and sees whether a
 * handshake completes and which client certificate it was shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { LicbridgeError } from '../../core/errors.js';
import type { TlsSettings } from '../../core/tls.js';
import { KEY_PEM, problemsOf, VALID_CONFIG } from '../config/fixtures.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';
import { type TlsListener, tlsListener } from '../support/tls-listener.js';
import { frontDbConfig } from './front-db-fixtures.js';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

describe('front-db target on Oracle with connection.tls', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let rogue: TestCa;
  let client: IssuedCertificate;
  let listener: TlsListener;

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    rogue = await createTestCa('rogue-root');
    const server = await gov.issue('oracle', { cn: 'localhost', sans: ['DNS:localhost'] });
    client = await gov.issue('department', { cn: 'department-a', client: true });
    listener = await tlsListener(server, gov.ca);
  });
  afterAll(async () => {
    await listener?.close();
    await gov?.remove();
    await rogue?.remove();
  });

  const reach = async (tls: TlsSettings) => {
    const config: FrontDbTargetConfig = frontDbConfig(
      'oracle',
      {
        connection: {
          host: 'localhost',
          port: listener.port,
          database: 'ORCL',
          user: 'lic',
          password: 'pw',
          tls,
        },
      },
      'UP_LIC_DATA',
      { timeoutMs: 5_000 },
    );
    const target = new FrontDbTarget('city', config);
    listener.seen.length = 0;
    let error: unknown;
    try {
      // The login cannot pass: what reached the server, and how the target failed, count.
      await target.checkConnection().catch((e: unknown) => {
        error = e;
      });
    } finally {
      await target.close();
    }
    return { seen: [...listener.seen], error: error as LicbridgeError | undefined };
  };

  it('speaks TLS, verified with the CA in tls.ca, and presents the client certificate', async () => {
    const { seen } = await reach({ ca: gov.ca, cert: client.cert, key: client.key });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ handshake: true, clientCn: 'department-a' });
  });

  it('a CA that did not issue the server certificate: no handshake, refused as TLS', async () => {
    const { seen, error } = await reach({ ca: rogue.ca, cert: client.cert, key: client.key });
    expect(seen.every((s) => !s.handshake)).toBe(true);
    expect(error?.message).toMatch(/^target city: TLS refused/);
  });

  it('a client certificate and key without tls.ca: refused, nothing sent', async () => {
    // The driver sends every certificate of its wallet as the client's chain: Node's public roots
    // put there to trust a public server (150 KB) made a Certificate message OpenSSL servers refuse.
    const { seen, error } = await reach({ cert: client.cert, key: client.key });
    expect(seen).toEqual([]);
    expect(error?.code).toBe('LB_CONFIG_INVALID');
    expect(error?.message).toMatch(
      /^target city: `connection.tls.cert` and `tls.key` need `tls.ca` on an Oracle front database/,
    );
  });

  it('tls.ca without a client certificate and key: refused, nothing sent', async () => {
    const { seen, error } = await reach({ ca: gov.ca });
    expect(seen).toEqual([]);
    expect(error?.code).toBe('LB_CONFIG_INVALID');
    expect(error?.message).toMatch(
      /^target city: `connection.tls.ca` needs `tls.cert` and `tls.key` on an Oracle front database/,
    );
  });
});

describe('an Oracle front database with tls.ca alone, as the config loads', () => {
  it('is a config problem at tls.ca, naming the target', async () => {
    const text = `${VALID_CONFIG}  city-front:\n    kind: front-db\n    client: oracle\n    dataSource: 11370211MB1234567X\n    connection:\n      host: db.example\n      tls:\n        ca: "\${file:./ca.pem}"\n`;
    const { problems } = await problemsOf(text, {}, { 'data/keys/seal.key.pem': KEY_PEM, 'ca.pem': CA_PEM });
    expect(problems.map((p) => p.path)).toEqual(['targets.city-front.connection.tls.ca']);
    expect(problems[0]?.message).toMatch(
      /^target city-front: `connection.tls.ca` needs `tls.cert` and `tls.key`/,
    );
  });
});

describe('an Oracle front database with a client certificate and no tls.ca, as the config loads', () => {
  it('is a config problem at tls.cert, naming the target', async () => {
    const text = `${VALID_CONFIG}  city-front:\n    kind: front-db\n    client: oracle\n    dataSource: 11370211MB1234567X\n    connection:\n      host: db.example\n      tls:\n        cert: "\${file:./client.pem}"\n        key: "\${file:./client.key}"\n`;
    const files = { 'data/keys/seal.key.pem': KEY_PEM, 'client.pem': CA_PEM, 'client.key': KEY_PEM };
    const { problems } = await problemsOf(text, {}, files);
    expect(problems.map((p) => p.path)).toEqual(['targets.city-front.connection.tls.cert']);
    expect(problems[0]?.message).toMatch(
      /^target city-front: `connection.tls.cert` and `tls.key` need `tls.ca`/,
    );
  });
});

describe('the wallet of an Oracle front database', () => {
  it('holds the client certificate first, then its key and the CAs; none without a CA', () => {
    const tls = { cert: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----', key: 'KEY' };
    const withCa = driverConnection('city', 'oracle', { host: 'db', tls: { ...tls, ca: CA_PEM } });
    expect(withCa).toMatchObject({
      connectString: 'tcps://db:1521/',
      walletContent: `${tls.cert}\nKEY\n${CA_PEM}`,
      sslServerDNMatch: true,
    });
    // Without a CA there is nothing to trust the server by but the public roots, which cannot go
    // into a wallet the driver also sends as the client's chain.
    expect(() => driverConnection('city', 'oracle', { host: 'db', database: 'ORCL', tls })).toThrow(
      /`tls.ca` on an Oracle front database/,
    );
    // A written connect string names its own protocol (TCPS: front-db-oracle-connect-string.test.ts).
    expect(
      driverConnection('city', 'oracle', {
        connectString: 'tcps://db:2484/ORCL',
        tls: { ...tls, ca: CA_PEM },
      }).connectString,
    ).toBe('tcps://db:2484/ORCL');
  });
});
