/**
 * What a front database's driver is given: the kind registry's entry for the configured client,
 * and the `connection` with its TLS keys in the driver's own terms.
 */
import type { FrontDbSpec, SourceKindSpec } from '../../../connectors/kind-spec.js';
import { sourceKind } from '../../../connectors/kinds.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { oracleDriverThin, startOracleThickMode } from '../../../core/oracle-thick.js';
import type { TlsSettings } from '../../../core/tls.js';
import { mssqlTlsOptions, mysqlSslOptions, sqlSslOptions } from '../../../core/tls-drivers.js';
import type { FrontDbTargetConfig } from './config.js';
import { oracleFrontDbTls } from './oracle-tls.js';

/** What the kind registry says of the configured client; the schema admits only kinds that have it. */
export function frontDbOf(client: string): FrontDbSpec & { spec: SourceKindSpec } {
  const spec = sourceKind(client);
  if (!spec?.frontDb) {
    throw new LicbridgeError(ErrorCodes.USAGE, `front-db: \`${client}\` cannot be a front database`);
  }
  return { ...spec.frontDb, spec };
}

/**
 * The front database's `connection` with its TLS keys turned into the driver's own (verified
 * whenever TLS is on, as for sources); the `tls` mapping itself is not a driver key.
 */
export function withTls(
  target: string,
  client: FrontDbTargetConfig['client'],
  connection: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const { tls, ssl, encrypt, trustServerCertificate, ...rest } = connection as Record<string, unknown> & {
    tls?: TlsSettings;
    ssl?: boolean;
    encrypt?: boolean;
    trustServerCertificate?: boolean;
  };
  const keys = {
    ...(tls ? { tls } : {}),
    ...(ssl === undefined ? {} : { ssl }),
    ...(encrypt === undefined ? {} : { encrypt }),
    ...(trustServerCertificate === undefined ? {} : { trustServerCertificate }),
  };
  const tlsStyle = frontDbOf(client).tls;
  if (tlsStyle === 'ssl') {
    // mysql2 checks the certificate against the host only: its `tls.servername` is refused, as for
    // a MySQL source, rather than left for every connection to fail on (core/tls-drivers.ts).
    const sslOptions = client === 'mysql' ? mysqlSslOptions(keys) : sqlSslOptions(keys);
    return sslOptions ? { ...rest, ssl: sslOptions } : rest;
  }
  if (tlsStyle === 'mssql') {
    const options = (rest.options ?? {}) as Record<string, unknown>;
    return { ...rest, options: { ...options, ...mssqlTlsOptions(keys) } };
  }
  if (tlsStyle === 'oracle') {
    if (rest.thickMode === true) startThickMode(target, rest.libDir);
    const port = rest.port === undefined || rest.port === '' ? frontDbOf(client).spec.defaultPort : rest.port;
    // Thick mode, once a source has started it, is this connection's too (core/oracle-tls.ts).
    const thin = keys.tls === undefined || oracleDriverThin();
    return { ...rest, ...oracleFrontDbTls(target, { ...rest, port }, keys, thin) };
  }
  if (tlsStyle === 'refused' && (keys.tls !== undefined || keys.ssl === true || keys.encrypt === true)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `target ${target}: \`connection.tls\` is not supported for a ${client} front database (its driver reads certificates its own way); reach it over a protected network or a TLS tunnel`,
      { context: { target } },
    );
  }
  return rest;
}

/** Thick mode for an Oracle front database with `connection.thickMode: true` (Oracle 11g). */
function startThickMode(target: string, libDir: unknown): void {
  const dir = typeof libDir === 'string' && libDir !== '' ? libDir : undefined;
  try {
    startOracleThickMode(dir);
  } catch (cause) {
    throw new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `target ${target}: cannot load Oracle Instant Client for thick mode${dir ? ` from ${dir}` : ''}: ${(cause as Error).message}`,
      // Its kind (shared/failure-kind.ts) said here: its words name a folder, and one such as
      // /opt/tls/instantclient made the attempt `tls`.
      { context: { target, failure: 'other' }, cause },
    );
  }
}

/**
 * The knex client of a front database: the registry's (for Oracle, the source's client, which hands
 * node-oracledb the TLS attributes knex's own leaves out: connectors/sql/dialects/oracle/knex-client.ts).
 */
export async function knexClientOf(client: FrontDbTargetConfig['client']): Promise<unknown> {
  const spec = frontDbOf(client);
  return typeof spec.knexClient === 'string' ? spec.knexClient : await spec.knexClient();
}

/**
 * The `connection` the driver is given: its TLS keys in the driver's terms, a KingbaseES port
 * defaulting to KingbaseES's own and, for SQL Server,
 * times written in this machine's wall clock, as the other drivers write them. tedious writes a
 * time as UTC unless told otherwise, so a date/time `EXCHANGE_TIME` held 8 hours off a Beijing
 * clock. A `connection.options.useUTC` of the config is kept.
 */
export function driverConnection(
  target: string,
  client: FrontDbTargetConfig['client'],
  connection: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const driver = withTls(target, client, connection);
  // KingbaseES listens on 54321, and its driver is node-postgres, which takes 5432 for a missing port.
  if (client === 'kingbase' && (driver.port === undefined || driver.port === ''))
    return { ...driver, port: frontDbOf(client).spec.defaultPort };
  if (client !== 'mssql') return driver;
  const options = (driver.options ?? {}) as Record<string, unknown>;
  return { ...driver, options: { useUTC: false, ...options } };
}
