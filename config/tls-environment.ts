/**
 * What `NODE_TLS_REJECT_UNAUTHORIZED=0` reaches in a config. Node reads it only where a connection
 * leaves `rejectUnauthorized` unset. Every `tls:` setting states it (core/tls.ts nodeTlsOptions): HTTPS
 * targets and their token endpoints, signing servers, /readyz, sources, front databases and Redis.
 * node-postgres builds the ledger's TLS from `sslmode` and the `ssl*` files in `ledger.url`, or from
 * `PGSSLMODE` when the URL names none (pg-connection-string, pg connection-parameters), and states
 * nothing: there the variable switches verification off.
 */

/** `PGSSLMODE` values node-postgres reads as TLS left to Node's default (`disable`, `no-verify` are not). */
const PG_ENV_TLS = new Set(['prefer', 'require', 'verify-ca', 'verify-full']);

/** Why the ledger's TLS is verified by Node's default, as a phrase; undefined when it is not. */
function ledgerLeftToNode(url: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!/^postgres(ql)?:\/\//.test(url)) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const mode = params.get('sslmode') || undefined;
  const file = ['sslrootcert', 'sslcert', 'sslkey'].find((k) => params.get(k));
  if (mode !== undefined || file !== undefined) {
    if (mode === 'disable' || mode === 'no-verify') return undefined;
    return mode !== undefined
      ? `\`sslmode=${mode.slice(0, 20)}\` in \`ledger.url\``
      : `\`${file}\` in \`ledger.url\``;
  }
  const envMode = env.PGSSLMODE;
  return envMode && PG_ENV_TLS.has(envMode)
    ? `\`PGSSLMODE=${envMode}\`, \`ledger.url\` setting no \`sslmode\``
    : undefined;
}

/** The `config check` and `status` line for `NODE_TLS_REJECT_UNAUTHORIZED=0`; undefined when it is not set so. */
export function nodeTlsEnvironmentFinding(ledgerUrl: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') return undefined;
  const ledger = ledgerLeftToNode(ledgerUrl, env);
  return ledger
    ? `environment: NODE_TLS_REJECT_UNAUTHORIZED=0 switches off TLS certificate verification for the ledger (${ledger}), whose driver leaves it to Node: unset it. HTTPS targets, signing servers, sources, front databases and Redis state their verification, and it does not reach them`
    : 'environment: NODE_TLS_REJECT_UNAUTHORIZED=0 is set: no connection of this config leaves verification to Node (HTTPS targets, signing servers, sources, front databases and Redis state theirs), but a PostgreSQL ledger using TLS would be unverified: unset it';
}
