/**
 * A SQL Server front database whose `connection` says `encrypt: false` and gives `tls` (a CA, a
 * client certificate): tedious took `encrypt: false` and sent everything in the clear, the CA and
 * the certificate unused, with nothing said. As `ssl: false` next to `tls` on PostgreSQL and MySQL,
 * the contradiction is not meant quietly: TLS wins.
 */
import { describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

describe('front-db on SQL Server: encrypt false next to tls', () => {
  it('encrypts and verifies with the CA', () => {
    const c = driverConnection('city', 'mssql', { host: 'db', encrypt: false, tls: { ca: CA } });
    expect(c.options).toMatchObject({
      encrypt: true,
      trustServerCertificate: false,
      cryptoCredentialsDetails: { ca: CA },
    });
  });

  it('encrypt false without tls stays as written (a closed network)', () => {
    const c = driverConnection('city', 'mssql', { host: 'db', encrypt: false });
    expect(c.options).toMatchObject({ encrypt: false });
  });
});
