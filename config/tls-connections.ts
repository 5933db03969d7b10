/**
 * The connections licbridge opens, as the config sets them up: for each, its TLS settings, whether
 * its driver verifies the server, where the server is, and what its driver cannot honour. Read by
 * the TLS findings of `config check` and `licbridge status` (./tls-findings.ts, ./ca-file-problems.ts).
 */
import { sourceKind } from '../connectors/kinds.js';
import { speaksOnlyTcps } from '../core/oracle-tls.js';
import type { TlsSettings } from '../core/tls.js';
import { SERVERNAME_UNSUPPORTED } from '../core/tls-drivers.js';
import type { TlsEndpoint } from '../core/tls-probe.js';
import { ledgerTls, pgEnvironmentConnections } from './tls-environment.js';
import type { Config } from './types.js';

/** One connection licbridge opens, with what the config says of its TLS. */
export interface TlsConnection {
  /** `source market-food`, `target province`, `queue`, `ledger`, … */
  readonly connection: string;
  /** The config key to change, for messages. */
  readonly key: string;
  readonly tls: TlsSettings | undefined;
  /** Verification off by a key other than `tls.insecureSkipVerify` (mssql, ledger URL). */
  readonly insecureBy?: string;
  /** Where the server is, when TLS is on. */
  readonly endpoint?: TlsEndpoint;
  /** Why this connection's driver cannot honour `tls.servername`, when it cannot. */
  readonly servernameUnsupported?: string;
  /** `ssl: true` its driver ignores, on a connection no key it reads encrypts: what to set instead. */
  readonly sslIgnored?: { driver: string; instead: string };
}

type Conn = Readonly<Record<string, unknown>> | undefined;

export function tlsConnections(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv = process.env,
): TlsConnection[] {
  const out: TlsConnection[] = [];
  for (const [name, s] of Object.entries(config.sources)) {
    out.push(sqlConnection(`source ${name}`, `sources.${name}.connection`, s.kind, s.connection));
  }
  for (const [name, t] of Object.entries(config.targets)) {
    if (t.kind === 'front-db') {
      out.push(sqlConnection(`target ${name}`, `targets.${name}.connection`, t.client, t.connection));
    } else out.push(httpConnection(`target ${name}`, `targets.${name}.tls`, t.url, t.tls));
    // A token or secret endpoint with TLS settings of its own (`auth.tls`) is a connection too.
    const auth = (t as { auth?: { tls?: TlsSettings; tokenUrl?: string; refreshUrl?: string } }).auth;
    if (auth?.tls) {
      const url = auth.tokenUrl ?? auth.refreshUrl ?? '';
      out.push(httpConnection(`target ${name} auth`, `targets.${name}.auth.tls`, url, auth.tls));
    }
  }
  for (const [name, s] of Object.entries(config.signers)) {
    if (s.kind === 'remote') out.push(httpConnection(`signer ${name}`, `signers.${name}.tls`, s.url, s.tls));
  }
  out.push(...queueConnections(config));
  out.push(ledgerConnection(config.ledger.url, env));
  // node-postgres reads `PGSSLMODE=no-verify` as `rejectUnauthorized: false` for every connection
  // given no `ssl` of its own: the sources and front databases without `tls` or `ssl: true`.
  if (env.PGSSLMODE !== 'no-verify') return out;
  const byEnv = new Set(pgEnvironmentConnections(config));
  return out.map((c) =>
    byEnv.has(c.connection) && !c.insecureBy
      ? { ...c, insecureBy: '`PGSSLMODE=no-verify`, no `tls` set' }
      : c,
  );
}

function sqlConnection(connection: string, key: string, kind: string, conn: Conn): TlsConnection {
  const c = (conn ?? {}) as {
    host?: string;
    port?: string | number;
    ssl?: boolean;
    encrypt?: boolean;
    connectString?: unknown;
    tls?: TlsSettings;
    trustServerCertificate?: boolean;
  };
  // Kinds whose TLS starts inside their own protocol can be probed (their spec says how).
  const spec = sourceKind(kind);
  const startTls = spec?.startTls;
  const defaultPort = spec?.defaultPort;
  const style = spec?.frontDb?.tls;
  // TLS as the driver turns it on (core/tls-drivers.ts): `ssl` only where it reads it (node-postgres,
  // mysql2). tedious and node-oracledb ignore it: counted there, `ssl: true` read as TLS on a
  // connection in the clear. A written Oracle connect string speaking TCPS alone is encrypted, or fails.
  const on =
    c.tls !== undefined ||
    (style === 'ssl' && c.ssl === true) ||
    (style === 'mssql' && c.encrypt !== false) ||
    (style === 'oracle' && speaksOnlyTcps(c.connectString));
  const sslIgnored =
    c.ssl === true && !on && (style === 'mssql' || style === 'oracle')
      ? style === 'mssql'
        ? { driver: 'mssql', instead: "encrypt: true` (with the server's CA in `tls.ca`)" }
        : { driver: 'oracle', instead: 'tls` (a TCPS address)' }
      : undefined;
  const driver =
    spec?.frontDb?.knexClient === 'mysql2'
      ? 'mysql2'
      : spec?.frontDb?.tls === 'oracle'
        ? 'oracledb'
        : undefined;
  return {
    connection,
    key: `${key}.tls`,
    tls: c.tls,
    ...(driver ? { servernameUnsupported: SERVERNAME_UNSUPPORTED[driver] } : {}),
    ...(sslIgnored ? { sslIgnored } : {}),
    ...(kind === 'mssql' && c.trustServerCertificate === true
      ? { insecureBy: `\`${key}.trustServerCertificate\`` }
      : {}),
    ...(on && startTls && defaultPort !== undefined && c.host
      ? {
          endpoint: {
            host: c.host,
            port: c.port === undefined || c.port === '' ? defaultPort : Number(c.port),
            startTls,
            ...(c.tls?.servername ? { servername: c.tls.servername } : {}),
          },
        }
      : {}),
  };
}

function httpConnection(
  connection: string,
  key: string,
  url: string,
  tls: TlsSettings | undefined,
): TlsConnection {
  let endpoint: TlsEndpoint | undefined;
  try {
    const u = new URL(url);
    if (u.protocol === 'https:') {
      endpoint = {
        host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: u.port ? Number(u.port) : 443,
        startTls: 'direct',
        ...(tls?.servername ? { servername: tls.servername } : {}),
      };
    }
  } catch {
    // The schema already refused a URL that does not parse.
  }
  return { connection, key, tls, ...(endpoint ? { endpoint } : {}) };
}

function queueConnections(config: Readonly<Config>): TlsConnection[] {
  const redis = config.queue.redis;
  const url = typeof redis === 'string' ? redis : redis.url;
  const tls = typeof redis === 'string' || typeof redis.tls !== 'object' ? undefined : redis.tls;
  const on = url ? url.startsWith('rediss://') : typeof redis !== 'string' && redis.tls !== false;
  const first = url
    ? undefined
    : typeof redis === 'string'
      ? undefined
      : (redis.cluster ?? redis.sentinels)?.[0];
  let endpoint: TlsEndpoint | undefined;
  if (on && url) {
    const u = new URL(url);
    endpoint = { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379, startTls: 'direct' };
  } else if (on && first) {
    const at = first.lastIndexOf(':');
    endpoint = {
      host: first.slice(0, at).replace(/^\[(.*)\]$/, '$1'),
      port: Number(first.slice(at + 1)),
      startTls: 'direct',
    };
  }
  if (endpoint && tls?.servername) endpoint = { ...endpoint, servername: tls.servername };
  return [{ connection: 'queue: Redis', key: 'queue.redis.tls', tls, ...(endpoint ? { endpoint } : {}) }];
}

function ledgerConnection(url: string, env: NodeJS.ProcessEnv): TlsConnection {
  // One reading of ledger.url and PGSSLMODE, the driver's (config/tls-environment.ts ledgerTls).
  const tls = ledgerTls(url, env);
  // Set only for a URL that parses (ledgerTls read it).
  const parsed = tls ? new URL(url) : undefined;
  return {
    connection: 'ledger',
    key: 'ledger',
    tls: undefined,
    ...(tls?.verified === false ? { insecureBy: tls.by } : {}),
    ...(parsed
      ? {
          endpoint: {
            host: parsed.hostname,
            port: parsed.port ? Number(parsed.port) : 5432,
            startTls: 'postgres' as const,
          },
        }
      : {}),
  };
}
