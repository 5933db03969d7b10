/**
 * What the config says about TLS, for `config check` and `licbridge status`: every connection whose
 * verification is switched off or whose `tls.ca` came out empty, every CA and client certificate
 * configured (for the expiry watch), and every server licbridge talks TLS to (whose certificate
 * status reads).
 */
import { dirname } from 'node:path';
import { formatProblem, type Problem } from '../core/errors.js';
import type { TlsEndpoint } from '../core/tls-probe.js';
import { caFileProblems } from './ca-file-problems.js';
import { configNodes, referencedFiles } from './config-nodes.js';
import { plainHttpFindings } from './plain-http-findings.js';
import { tlsConnections } from './tls-connections.js';
import { nodeTlsEnvironmentFinding } from './tls-environment.js';
import type { Config } from './types.js';

/**
 * One line per connection whose server certificate is not verified, per target or signing server
 * reached by plain http off this host (./plain-http-findings.ts), per `tls.ca` that resolved to
 * nothing (which connecting refuses: core/tls.ts trustedCa), and per CA file a connection cannot
 * use as it opens (./ca-file-problems.ts).
 */
export function insecureTlsSettings(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const out: string[] = [];
  // Node's process-wide off switch, for the connections that leave verification to Node.
  const environment = nodeTlsEnvironmentFinding(config, env);
  if (environment) out.push(environment);
  for (const c of tlsConnections(config, env)) {
    const by = c.tls?.insecureSkipVerify === true ? `\`${c.key}.insecureSkipVerify\`` : c.insecureBy;
    if (by) {
      out.push(
        `${c.connection}: TLS certificate verification is off (${by}): anyone on the network path can impersonate the server; ${c.key === 'ledger' ? 'use `sslmode=verify-full&sslrootcert=/path/ca.pem` in `ledger.url`' : `put its CA in \`${c.key}.ca\` and remove the setting`}`,
      );
    }
  }
  for (const c of tlsConnections(config)) {
    if (!c.sslIgnored) continue;
    const base = c.key.replace(/\.tls$/, '');
    out.push(
      `${c.connection}: \`${base}.ssl\` is ignored by the ${c.sslIgnored.driver} driver, and no other key turns TLS on: the connection is not encrypted; set \`${base}.${c.sslIgnored.instead}, or remove \`ssl\``,
    );
  }
  // Plain http to another host: encrypted by nothing, verified by nothing.
  out.push(...plainHttpFindings(config));
  out.push(...emptyTlsCas(config, env));
  // A CA file no connection can use (config check refuses it): every connection of its kind fails.
  out.push(...caFileProblems(config, env).map(formatProblem));
  return out;
}

/**
 * A `tls.ca` that resolved to nothing but whitespace (a `${file:…}` naming a file of blanks, a
 * `${env:…}` set to a space) passes the schema, which refuses only the empty string, yet every
 * connection refuses it: Node would read it as no CA and trust the public roots. So `config check`
 * reports each as a problem (exit 2), as the run would refuse it: named by config file, line,
 * setting, the reference as written and, for `${file:…}`, the file it read; never by a value.
 */
export function emptyTlsCaProblems(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv = process.env,
): Problem[] {
  const empty = tlsConnections(config).filter((c) => c.tls?.ca !== undefined && c.tls.ca.trim() === '');
  if (empty.length === 0) return [];
  const nodes = configNodes(config.file, env);
  return empty.map((c) => {
    const path = `${c.key}.ca`;
    const node = nodes.get(path);
    const read = node?.ref ? referencedFiles(node.ref, dirname(config.file)) : [];
    const file = read.length > 0 ? ` (file ${read.join(', ')})` : '';
    const what = node?.ref
      ? `\`${node.ref}\`${file} resolves to no text (only whitespace)`
      : 'holds no text (only whitespace)';
    return {
      file: config.file,
      line: node?.value.line ?? 1,
      column: node?.value.column ?? 1,
      path,
      message: `${what}; connecting to ${c.connection} refuses it (an empty CA would trust the public roots instead): put the PEM CA certificates there`,
    };
  });
}

/**
 * A `tls.servername` on a connection whose driver checks the certificate against the host only
 * (mysql2, node-oracledb: core/tls-drivers.ts SERVERNAME_UNSUPPORTED): ignored, it would make
 * every connection fail with a host-name mismatch, so it is refused where it is written.
 */
export function unsupportedServernameProblems(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv = process.env,
): Problem[] {
  const found = tlsConnections(config).filter(
    (c) => c.tls?.servername !== undefined && c.servernameUnsupported !== undefined,
  );
  if (found.length === 0) return [];
  const nodes = configNodes(config.file, env);
  return found.map((c) => {
    const path = `${c.key}.servername`;
    const node = nodes.get(path);
    return {
      file: config.file,
      line: node?.value.line ?? 1,
      column: node?.value.column ?? 1,
      path,
      message: `${c.connection}: not supported: ${c.servernameUnsupported}`,
    };
  });
}

/** Every `tls:` setting connecting would refuse: for `config check`, which reports them as problems. */
export function tlsSettingProblems(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv = process.env,
): Problem[] {
  return [
    ...emptyTlsCaProblems(config, env),
    ...caFileProblems(config, env),
    ...unsupportedServernameProblems(config, env),
  ];
}

/** The empty CAs, as lines for `licbridge status`. */
export function emptyTlsCas(config: Readonly<Config>, env: NodeJS.ProcessEnv = process.env): string[] {
  return emptyTlsCaProblems(config, env).map(formatProblem);
}

/** The CA and client certificates configured, as PEM text, by connection. */
export function configuredTlsCertificates(
  config: Readonly<Config>,
): { connection: string; role: 'CA' | 'client'; pem: string }[] {
  const out: { connection: string; role: 'CA' | 'client'; pem: string }[] = [];
  for (const c of tlsConnections(config)) {
    if (c.tls?.ca) out.push({ connection: c.connection, role: 'CA', pem: c.tls.ca });
    if (c.tls?.cert) out.push({ connection: c.connection, role: 'client', pem: c.tls.cert });
  }
  return out;
}

/** The servers licbridge speaks TLS to, for reading their certificates. */
export function tlsServerEndpoints(
  config: Readonly<Config>,
): { connection: string; endpoint: TlsEndpoint }[] {
  const out: { connection: string; endpoint: TlsEndpoint }[] = [];
  for (const c of tlsConnections(config))
    if (c.endpoint) out.push({ connection: c.connection, endpoint: c.endpoint });
  return out;
}
