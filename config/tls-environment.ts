/**
 * What `NODE_TLS_REJECT_UNAUTHORIZED=0` reaches in a config. Node reads it only where a connection
 * leaves `rejectUnauthorized` unset. Every `tls:` setting states it (core/tls.ts nodeTlsOptions): HTTPS
 * targets and their token endpoints, signing servers, /readyz, sources, front databases and Redis.
 * node-postgres builds the ledger's TLS from `sslmode`, `ssl` and the `ssl*` files in `ledger.url`, or
 * from `PGSSLMODE` when the URL names none (pg-connection-string, pg connection-parameters), and states
 * nothing: there the variable switches verification off. `PGSSLMODE` turns TLS on, as Node's
 * default verifies it, for a PostgreSQL or KingbaseES source or front database without `tls` and
 * without `ssl: true` too (core/tls-drivers.ts sqlSslOptions hands node-postgres no `ssl` then).
 */
import { sourceKind } from '../connectors/kinds.js';
import type { Config } from './types.js';

/** `PGSSLMODE` values node-postgres reads as TLS left to Node's default (`disable`, `no-verify` are not). */
const PG_ENV_TLS = new Set(['prefer', 'require', 'verify-ca', 'verify-full']);

/**
 * The ledger's TLS as node-postgres sets it up from `ledger.url`, or from `PGSSLMODE` when the URL
 * names none of `sslmode`, `ssl`, the `ssl*` files and `sslnegotiation=direct` (pg-connection-string,
 * pg connection-parameters): what turns it on, as a phrase, and whether the certificate is verified
 * (by Node's default: nothing in the URL states `rejectUnauthorized` but `no-verify`). Undefined for
 * a ledger not on PostgreSQL or in the clear. The `NODE_TLS_REJECT_UNAUTHORIZED=0` finding below and
 * config/tls-findings.ts (`no-verify`, the servers status reads) share this one reading.
 */
export function ledgerTls(
  url: string,
  env: NodeJS.ProcessEnv,
): { by: string; verified: boolean } | undefined {
  if (!/^postgres(ql)?:\/\//.test(url)) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const inUrl = (setting: string) => `\`${setting.slice(0, 30)}\` in \`ledger.url\``;
  // Any of these makes `ssl` an object (empty ones count as unset, as the parser tests truthiness).
  const mode = params.get('sslmode') || undefined;
  const file = ['sslrootcert', 'sslcert', 'sslkey'].find((k) => params.get(k));
  if (mode !== undefined || file !== undefined) {
    if (mode === 'disable') return undefined;
    if (mode === 'no-verify') return { by: inUrl('sslmode=no-verify'), verified: false };
    return { by: inUrl(mode !== undefined ? `sslmode=${mode}` : `${file}`), verified: true };
  }
  // `ssl=` as pg-connection-string reads it: `0` or empty is no TLS, `no-verify` (which pg turns
  // into `rejectUnauthorized: false`) unverified, any other word (`true`, `1`, even `false`) TLS
  // left to Node; set, `PGSSLMODE` is not read.
  const ssl = params.get('ssl');
  if (ssl !== null) {
    if (ssl === '' || ssl === '0') return undefined;
    return { by: inUrl(`ssl=${ssl}`), verified: ssl !== 'no-verify' };
  }
  // The pg-connection-string pg 8.23 ships: direct TLS negotiation turns TLS on when nothing else does.
  if (params.get('sslnegotiation') === 'direct')
    return { by: inUrl('sslnegotiation=direct'), verified: true };
  const envMode = env.PGSSLMODE;
  const byEnv = `\`PGSSLMODE=${envMode}\`, \`ledger.url\` setting no \`sslmode\``;
  if (envMode === 'no-verify') return { by: byEnv, verified: false };
  return envMode && PG_ENV_TLS.has(envMode) ? { by: byEnv, verified: true } : undefined;
}

/** Why the ledger's TLS is verified by Node's default, as a phrase; undefined when it is not. */
function ledgerLeftToNode(url: string, env: NodeJS.ProcessEnv): string | undefined {
  const tls = ledgerTls(url, env);
  return tls?.verified ? tls.by : undefined;
}

/** The sources and front databases node-postgres opens with `ssl` from `PGSSLMODE`. */
export function pgEnvironmentConnections(config: Readonly<Config>): string[] {
  const leftToEnv = (kind: string, connection: unknown) => {
    const c = (connection ?? {}) as { ssl?: unknown; tls?: unknown };
    return sourceKind(kind)?.frontDb?.knexClient === 'pg' && c.ssl !== true && c.tls === undefined;
  };
  const out: string[] = [];
  for (const [name, s] of Object.entries(config.sources))
    if (leftToEnv(s.kind, (s as { connection?: unknown }).connection)) out.push(`source ${name}`);
  for (const [name, t] of Object.entries(config.targets))
    if (t.kind === 'front-db' && leftToEnv(t.client, t.connection)) out.push(`target ${name}`);
  return out;
}

/** The `config check` and `status` line for `NODE_TLS_REJECT_UNAUTHORIZED=0`; undefined when it is not set so. */
export function nodeTlsEnvironmentFinding(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') return undefined;
  const reached: string[] = [];
  const ledger = ledgerLeftToNode(config.ledger.url, env);
  if (ledger) reached.push(`the ledger (${ledger})`);
  const mode = env.PGSSLMODE;
  if (mode && PG_ENV_TLS.has(mode)) {
    for (const c of pgEnvironmentConnections(config))
      reached.push(`${c} (\`PGSSLMODE=${mode}\`, no \`tls\` set)`);
  }
  return reached.length > 0
    ? `environment: NODE_TLS_REJECT_UNAUTHORIZED=0 switches off TLS certificate verification for ${reached.join(', ')}, whose driver (node-postgres) leaves it to Node: unset it. HTTPS targets, signing servers, Redis and database connections with \`tls\` or \`ssl: true\` state their verification, and it does not reach them`
    : 'environment: NODE_TLS_REJECT_UNAUTHORIZED=0 is set: no connection of this config leaves verification to Node (HTTPS targets, signing servers, Redis and database connections with `tls` or `ssl: true` state theirs), but a PostgreSQL ledger using TLS would be unverified: unset it';
}
