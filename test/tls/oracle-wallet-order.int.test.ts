/**
 * node-oracledb thin mode builds its TLS context from the PEM wallet alone, as certificate, key and
 * CAs at once (oracledb/lib/thin/sqlnet/ntTcp.js: `createSecureContext({ cert: wallet, key: wallet,
 * ca: wallet })`): the wallet's first certificate is taken as the client's, and must match its key.
 * `oracleTlsOptions` wrote the CA first, so every wallet with a CA and a client identity failed
 * before a byte was sent ("key values mismatch"). The client certificate and its key go first, the
 * CAs after — as the Oracle front database's wallet already did (adapters/platforms/front-db/oracle-tls.ts).
 */
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';
import { oracleTlsOptions } from '../../core/tls-drivers.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

/** The context node-oracledb makes of a wallet. */
const driverContext = (wallet: string, walletPassword?: string) =>
  createSecureContext({ cert: wallet, key: wallet, ca: wallet, passphrase: walletPassword });

describe('the PEM wallet of an Oracle connection with tls', { timeout: 30_000 }, () => {
  let ca: TestCa;
  let client: IssuedCertificate;
  let locked: IssuedCertificate;

  beforeAll(async () => {
    ca = await createTestCa('gov-root');
    client = await ca.issue('department', { cn: 'department-a', client: true });
    locked = await ca.issue('department-locked', { cn: 'department-b', client: true, passphrase: 'pw' });
  });
  afterAll(async () => {
    await ca?.remove();
  });

  it('a CA, a client certificate and its key: a context the driver can make', () => {
    const o = oracleTlsOptions({ tls: { ca: ca.ca, cert: client.cert, key: client.key } });
    expect(() => driverContext(o.walletContent as string)).not.toThrow();
    expect((o.walletContent as string).startsWith(client.cert.trim())).toBe(true);
  });

  it('an encrypted key with its passphrase: a context the driver can make', () => {
    const o = oracleTlsOptions({ tls: { ca: ca.ca, cert: locked.cert, key: locked.key, passphrase: 'pw' } });
    expect(() => driverContext(o.walletContent as string, o.walletPassword as string)).not.toThrow();
  });

  it('the front database hands the driver the same wallet', () => {
    const tls = { ca: ca.ca, cert: client.cert, key: client.key };
    expect(driverConnection('city', 'oracle', { host: 'db', tls }).walletContent).toBe(
      oracleTlsOptions({ tls }).walletContent,
    );
  });
});
