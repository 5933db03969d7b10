/**
 * What the config says about TLS, for `config check` and `licbridge status`: every connection whose
 * verification is switched off or whose `tls.ca` came out empty, every CA and client certificate
 * configured (for the expiry watch), and every server licbridge talks TLS to (whose certificate
 * status reads).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { sourceKind } from '../connectors/kinds.js';
import { formatProblem, type Problem } from '../core/errors.js';
import { speaksOnlyTcps } from '../core/oracle-tls.js';
import { readFailure } from '../core/read-failure.js';
import { holdsCaCertificate, type TlsSettings } from '../core/tls.js';
import { SERVERNAME_UNSUPPORTED } from '../core/tls-drivers.js';
import type { TlsEndpoint } from '../core/tls-probe.js';
import { editorLineCounter } from '../core/yaml-line-counter.js';
import { plainHttpFindings } from './plain-http-findings.js';
import { ledgerTls, nodeTlsEnvironmentFinding, pgEnvironmentConnections } from './tls-environment.js';
import type { Config } from './types.js';
import { buildTree, dottedPath, type NodeInfo } from './yaml-tree.js';

interface TlsConnection {
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

/**
 * One line per connection whose server certificate is not verified, per target or signing server
 * reached by plain http off this host (./plain-http-findings.ts), and per `tls.ca` that resolved
 * to nothing (which connecting refuses: core/tls.ts trustedCa).
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

/** The files node-postgres reads from `ledger.url` as it connects (pg-connection-string), by what they hold. */
const LEDGER_FILES = { sslrootcert: 'CA file', sslcert: 'client certificate', sslkey: 'client key' } as const;

/**
 * A CA file a connection reads as it opens, which `config check` passed while the connection then
 * failed: a `sslrootcert` (or `sslcert`, `sslkey`) of `ledger.url` that cannot be read, which
 * node-postgres reads with the URL and fails on; a `tls.ca` that holds no certificate, as a file
 * name written without `${file:…}` does: Node takes it as PEM text of no certificate, so the
 * connection trusts no CA and refuses every server as untrusted. Named by the setting, the file and
 * why it cannot be read; never the URL (it may hold a password), nor a file's or variable's content.
 */
export function caFileProblems(config: Readonly<Config>, env: NodeJS.ProcessEnv = process.env): Problem[] {
  const noCertificate = tlsConnections(config).filter(
    (c) => c.tls?.ca !== undefined && c.tls.ca.trim() !== '' && !holdsCaCertificate(c.tls.ca),
  );
  const ledgerFiles = ledgerUrlFiles(config.ledger.url).flatMap(({ setting, file }) => {
    const why = unreadableFile(file);
    return why ? [{ setting, file, why }] : [];
  });
  if (noCertificate.length === 0 && ledgerFiles.length === 0) return [];
  const nodes = configNodes(config.file, env);
  const at = (path: string, message: string): Problem => {
    const node = nodes.get(path);
    return { file: config.file, line: node?.value.line ?? 1, column: node?.value.column ?? 1, path, message };
  };
  const out = noCertificate.map((c) => {
    const path = `${c.key}.ca`;
    const ref = nodes.get(path)?.ref;
    const ca = (c.tls?.ca ?? '').trim();
    const refuses = `connecting to ${c.connection} trusts no CA then and refuses every server`;
    if (ref === undefined && looksLikeFileName(ca)) {
      // Where `${file:…}` would read it: the config file's folder for a relative path; `~` is
      // not expanded there (config/refs.ts), so no file is looked for.
      if (ca.startsWith('~'))
        return at(
          path,
          `\`${ca}\` is a file name, not PEM text: ${refuses}; write \`\${file:…}\` with its absolute path`,
        );
      const file = resolve(dirname(config.file), ca);
      const why = unreadableFile(file);
      const then = why
        ? `${file} cannot be read: ${why}: put the CA certificates there, and write \`\${file:${ca}}\``
        : `write \`\${file:${ca}}\` to read the file`;
      return at(path, `\`${ca}\` is a file name, not PEM text: ${refuses}; ${then}`);
    }
    const read = ref ? referencedFiles(ref, dirname(config.file)) : [];
    const what = ref
      ? `\`${ref}\`${read.length > 0 ? ` (file ${read.join(', ')})` : ''} resolves to text`
      : 'holds text';
    return at(
      path,
      `${what} with no PEM certificate (no \`-----BEGIN CERTIFICATE-----\` line): ${refuses}; a file is read with \`\${file:…}\`, and a DER file is converted to PEM first (\`openssl x509 -inform der\`)`,
    );
  });
  for (const { setting, file, why } of ledgerFiles) {
    out.push(
      at(
        'ledger.url',
        `\`${setting}\` names ${file}, which cannot be read: ${why}; connecting to the ledger reads it and fails: put the ${LEDGER_FILES[setting]} there, or correct the path`,
      ),
    );
  }
  return out;
}

/** `sslrootcert`, `sslcert` and `sslkey` of a PostgreSQL `ledger.url`, as node-postgres reads them (from the working folder). */
function ledgerUrlFiles(url: string): { setting: keyof typeof LEDGER_FILES; file: string }[] {
  if (!/^postgres(ql)?:\/\//.test(url)) return [];
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return [];
  }
  const out: { setting: keyof typeof LEDGER_FILES; file: string }[] = [];
  for (const setting of Object.keys(LEDGER_FILES) as (keyof typeof LEDGER_FILES)[]) {
    // Empty counts as unset, as the parser tests truthiness.
    const file = params.get(setting);
    if (file) out.push({ setting, file: resolve(file) });
  }
  return out;
}

/** Why `file` cannot be read, or undefined when it can; its content is never read. */
function unreadableFile(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return 'a folder, not a file';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (e) {
    return readFailure(e);
  }
}

/** One word that reads as a path to a certificate file, not as PEM or DER text pasted in. */
function looksLikeFileName(text: string): boolean {
  if (text.length > 1024 || /\s/.test(text)) return false;
  return /^(~|\.{1,2})?[\\/]|^[A-Za-z]:[\\/]|\.(pem|crt|cer|ca-bundle|bundle|der|txt)$/i.test(text);
}

/** The empty CAs, as lines for `licbridge status`. */
export function emptyTlsCas(config: Readonly<Config>, env: NodeJS.ProcessEnv = process.env): string[] {
  return emptyTlsCaProblems(config, env).map(formatProblem);
}

/** The files a scalar's `${file:…}` references read, as paths from the config's folder. */
function referencedFiles(ref: string, baseDir: string): string[] {
  return [...ref.matchAll(/\$\{file:([^}]+)\}/g)].map((m) => resolve(baseDir, m[1] ?? ''));
}

/** The config file's values by dotted path, with their positions and references as written. */
function configNodes(file: string, env: NodeJS.ProcessEnv): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out; // Named without line and reference then; the config loaded, so this is rare.
  }
  const lines = editorLineCounter(text);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  for (const node of buildTree(doc, lines, { env, baseDir: dirname(file) }).nodes.values())
    out.set(dottedPath(node.segments), node);
  return out;
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

type Conn = Readonly<Record<string, unknown>> | undefined;

function tlsConnections(config: Readonly<Config>, env: NodeJS.ProcessEnv = process.env): TlsConnection[] {
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
