/**
 * The `tls:` model as each SQL driver takes it, shared by the SQL sources (connectors/sql) and
 * the front-database target (adapters/platforms/front-db): node-postgres and mysql2 (`ssl`),
 * tedious (`encrypt`, `trustServerCertificate`), node-oracledb thin mode (a PEM wallet).
 * Verification is on whenever TLS is on; each driver's off-switch is set only by
 * `insecureSkipVerify` (or mssql's `trustServerCertificate`), which config check and status flag.
 */
import { nodeTlsOptions, type TlsSettings, trustedCa } from './tls.js';

/** The connection keys that decide TLS. */
export interface TlsConnectionKeys {
  readonly host?: string;
  readonly ssl?: boolean;
  readonly encrypt?: boolean;
  readonly trustServerCertificate?: boolean;
  readonly tls?: TlsSettings;
}

/**
 * node-postgres and mysql2 `ssl`: TLS when `ssl: true` or `tls` is set. `ssl: false` next to
 * `tls` is a contradiction the config cannot mean quietly, so TLS wins.
 */
export function sqlSslOptions(
  c: TlsConnectionKeys,
): (ReturnType<typeof nodeTlsOptions> & { verifyIdentity: boolean }) | undefined {
  if (c.ssl !== true && c.tls === undefined) return undefined;
  const options = nodeTlsOptions(c.tls);
  // mysql2 checks the host name only when asked (`verifyIdentity`); node-postgres always does.
  return { ...options, verifyIdentity: options.rejectUnauthorized === true };
}

/**
 * tedious: encrypted and verified by default, since SQL Server's own default of no encryption
 * sends logins and license data in the clear.
 */
export function mssqlTlsOptions(c: TlsConnectionKeys): Record<string, unknown> {
  const t = c.tls;
  return {
    encrypt: c.encrypt ?? true,
    trustServerCertificate: c.trustServerCertificate === true || t?.insecureSkipVerify === true,
    ...(t?.servername ? { serverName: t.servername } : {}),
    ...(t
      ? {
          cryptoCredentialsDetails: {
            ...trustedCa(t),
            ...(t.cert ? { cert: t.cert } : {}),
            ...(t.key ? { key: t.key } : {}),
            ...(t.passphrase ? { passphrase: t.passphrase } : {}),
            minVersion: t.minVersion ?? 'TLSv1.2',
          },
        }
      : {}),
  };
}

/**
 * node-oracledb thin mode takes TCPS trust and client identity as a PEM wallet (`walletContent`:
 * CA certificates, client certificate, encrypted key; `walletPassword` its passphrase) and checks
 * the server's DN against the host (`sslServerDNMatch`), which only `tls.insecureSkipVerify` turns
 * off. Thick mode reads its wallet from `sqlnet.ora` instead.
 */
export function oracleTlsOptions(c: TlsConnectionKeys): Record<string, unknown> {
  const t = c.tls;
  if (!t) return {};
  const wallet = [trustedCa(t).ca, t.cert, t.key]
    .filter((p): p is string => typeof p === 'string')
    .join('\n');
  return {
    sslServerDNMatch: t.insecureSkipVerify !== true,
    ...(wallet ? { walletContent: wallet } : {}),
    ...(t.passphrase ? { walletPassword: t.passphrase } : {}),
  };
}
