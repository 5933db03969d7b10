/**
 * The `tls:` model as each SQL driver takes it, shared by the SQL sources (connectors/sql) and
 * the front-database target (adapters/platforms/front-db): node-postgres and mysql2 (`ssl`),
 * tedious (`encrypt`, `trustServerCertificate`), node-oracledb thin mode (a PEM wallet).
 * Verification is on whenever TLS is on; each driver's off-switch is set only by
 * `insecureSkipVerify` (or mssql's `trustServerCertificate`), which config check and status flag.
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { ErrorCodes, LicbridgeError } from './errors.js';
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
  const name = c.tls?.servername;
  return {
    ...options,
    // node-postgres sets `servername` to the host it connects to (for SNI) over the one given, and
    // tls.connect checks the certificate against that: the configured name is checked instead.
    // (mysql2 takes no check of ours: `tls.servername` is refused for it, see `mysqlSslOptions`.)
    ...(name && options.rejectUnauthorized === true
      ? { checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert) }
      : {}),
    // mysql2 checks the host name only when asked (`verifyIdentity`); node-postgres always does.
    verifyIdentity: options.rejectUnauthorized === true,
  };
}

/**
 * Drivers that check the server certificate against the host connected to and nothing else, so
 * `tls.servername` cannot be honoured: mysql2 passes its `host` as `servername` and checks the
 * certificate against it whatever its `ssl` holds (lib/base/connection.js startTLS); node-oracledb
 * thin mode matches the host or a whole DN (`SSL_SERVER_CERT_DN`), never another host name.
 * Refused rather than ignored: ignored, every connection would fail with a host-name mismatch.
 */
export const SERVERNAME_UNSUPPORTED = {
  mysql2:
    'the MySQL driver (mysql2) checks the server certificate against `host` only: connect by a host name the certificate carries (an /etc/hosts entry, a DNS name), and remove `tls.servername`',
  oracledb:
    'the Oracle driver (node-oracledb) checks the server certificate against the host only: connect by a host name the certificate carries, or match its whole subject with `(SECURITY=(SSL_SERVER_CERT_DN="…"))` in a `connectString`, and remove `tls.servername`',
} as const;

function refuseServername(c: TlsConnectionKeys, driver: keyof typeof SERVERNAME_UNSUPPORTED): void {
  if (c.tls?.servername === undefined) return;
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `tls: \`tls.servername\` is not supported here: ${SERVERNAME_UNSUPPORTED[driver]}`,
    { context: { tlsSetting: 'servername' } },
  );
}

/** mysql2 `ssl`, as {@link sqlSslOptions}; `tls.servername` is refused (SERVERNAME_UNSUPPORTED). */
export function mysqlSslOptions(c: TlsConnectionKeys): ReturnType<typeof sqlSslOptions> {
  refuseServername(c, 'mysql2');
  return sqlSslOptions(c);
}

/**
 * tedious: encrypted and verified by default, since SQL Server's own default of no encryption
 * sends logins and license data in the clear. `encrypt: false` next to `tls` is a contradiction
 * the config cannot mean quietly (the CA and the certificate would go unused): TLS wins, as for
 * `ssl: false` in {@link sqlSslOptions}.
 */
export function mssqlTlsOptions(c: TlsConnectionKeys): Record<string, unknown> {
  const t = c.tls;
  return {
    encrypt: t !== undefined || (c.encrypt ?? true),
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
 * node-oracledb thin mode takes TCPS trust and client identity as a PEM wallet (`walletContent`;
 * `walletPassword` its key's passphrase) and checks the server's DN against the host
 * (`sslServerDNMatch`), which only `tls.insecureSkipVerify` turns off. Thick mode reads its wallet
 * from `sqlnet.ora` instead. The driver makes its TLS context of the wallet as certificate, key and
 * CAs at once (oracledb/lib/thin/sqlnet/ntTcp.js): the first certificate is the client's and must
 * match the key, so the client certificate and key come first, the CAs after. With the CA first,
 * every wallet with a client identity failed before a byte was sent (`key values mismatch`).
 */
export function oracleTlsOptions(c: TlsConnectionKeys): Record<string, unknown> {
  const t = c.tls;
  if (!t) return {};
  refuseServername(c, 'oracledb');
  const wallet = [t.cert, t.key, trustedCa(t).ca]
    .filter((p): p is string => typeof p === 'string')
    .join('\n');
  return {
    sslServerDNMatch: t.insecureSkipVerify !== true,
    ...(wallet ? { walletContent: wallet } : {}),
    ...(t.passphrase ? { walletPassword: t.passphrase } : {}),
  };
}
