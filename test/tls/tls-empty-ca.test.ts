/**
 * `tls.ca` names the one CA a connection trusts (a government CA), usually through `${file:…}`.
 * An empty value (an empty file, a variable set to nothing) reached Node as `ca: ''`, which Node
 * and every driver built on it read as "no ca": the connection trusted the public roots instead,
 * without a word. It is refused, naming the setting, for every kind of connection.
 */
import { describe, expect, it } from 'vitest';
import { httpsAgentFor } from '../../adapters/tls-http.js';
import { nodeTlsOptions, type TlsSettings } from '../../core/tls.js';
import { mssqlTlsOptions, oracleTlsOptions, sqlSslOptions } from '../../core/tls-drivers.js';
import { queueConnection } from '../../pipelines/redis.js';

const builders: [string, (tls: TlsSettings) => unknown][] = [
  ['node (HTTPS, Redis)', (tls) => nodeTlsOptions(tls)],
  ['HTTPS agent', (tls) => httpsAgentFor(tls).destroy()],
  ['rediss:// URL', (tls) => queueConnection({ url: 'rediss://r:6380', tls, db: 0 })],
  ['postgres / mysql', (tls) => sqlSslOptions({ host: 'db', tls })],
  ['mssql', (tls) => mssqlTlsOptions({ host: 'db', tls })],
  ['oracle', (tls) => oracleTlsOptions({ host: 'db', tls })],
];

describe('an empty tls.ca', () => {
  it.each(builders)('is refused for %s, not read as the public roots', (_name, build) => {
    for (const ca of ['', '\n', ' \r\n'])
      expect(() => build({ ca })).toThrow(/`tls\.ca`.*empty value.*public roots/);
  });

  it.each(builders)('a CA given still passes for %s', (_name, build) => {
    expect(() =>
      build({ ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }),
    ).not.toThrow();
    expect(() => build({})).not.toThrow();
  });

  it('keeps the CA in what the drivers get', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(nodeTlsOptions({ ca })).toMatchObject({ ca, rejectUnauthorized: true });
    expect(mssqlTlsOptions({ tls: { ca } })).toMatchObject({ cryptoCredentialsDetails: { ca } });
    expect(oracleTlsOptions({ tls: { ca } })).toMatchObject({ walletContent: ca, sslServerDNMatch: true });
  });
});
