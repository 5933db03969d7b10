/**
 * `connection.tls` of an Oracle connection (a source, a front database) as node-oracledb thin mode
 * takes it: a TCPS address and a PEM wallet (`walletContent`) of the client's certificate, its key
 * and the CAs (core/tls-drivers.ts `oracleTlsOptions`). One implementation for both, since the
 * driver is the same:
 *
 * - Built from `host`, `port` and `database`, the address is `tcps://…`; a written `connectString`
 *   says its own protocol.
 * - The driver makes its TLS context from the wallet alone, as certificate, key and CAs at once
 *   (oracledb/lib/thin/sqlnet/ntTcp.js): its first certificate is the client's and it must hold
 *   the key, so the client certificate and key go first, the CAs after. A wallet of CAs alone
 *   cannot be read so (the driver finds no key in it), and without one the configured CA would not
 *   be used (Node's public roots would verify the server instead): `tls.ca` without `tls.cert` and
 *   `tls.key` is refused, naming what to do.
 * - The driver trusts the wallet's certificates and no others, and sends every one after the first
 *   as the client's chain. A client certificate without `tls.ca` has nothing to trust the server
 *   by: Node's public roots put into the wallet (144 certificates, 150 KB) made a Certificate
 *   message OpenSSL servers refuse (`excessive message size`, over their 100 KB), and the
 *   certificate alone trusts no server. `tls.cert` and `tls.key` without `tls.ca` are refused too:
 *   the CA that issued the server's certificate goes in `tls.ca` (a public one's root as well).
 * - The driver reads the built address as Easy Connect, whose `?name=value` settings follow the
 *   service name: a `database` of `ORCL?ssl_server_dn_match=off` turned the host check off (a
 *   server with another host's certificate was let in) while `config check` and `status`, which
 *   look for `insecureSkipVerify`, called the connection verified. A host or service name holding
 *   characters Easy Connect gives a meaning (`?`, `/`, `:`, `,`, `(`) is refused: such an address
 *   is written whole in `connectString`, where it is the user's own.
 *
 * Thick mode (Oracle Instant Client) reads its wallet from `sqlnet.ora` and ignores `walletContent`,
 * so the wallet's rules are thin mode's only; the address is built the same way in both. Thick mode
 * is the whole process's once a connection starts it (core/oracle-thick.ts): a connection whose
 * `tls` is written for thin mode (no `thickMode: true`) would then go out with its wallet and DN
 * match ignored, so such a connection is refused ({@link oracleThickModeProblem}).
 */
import { ErrorCodes, LicbridgeError } from './errors.js';
import type { TlsSettings } from './tls.js';
import { oracleTlsOptions, type TlsConnectionKeys } from './tls-drivers.js';

/** Which Oracle connection a message is about: `target city` on `an Oracle front database`. */
export interface OracleConnectionName {
  /** `source market-food`, `target city`: how each message opens. */
  readonly label: string;
  /** `an Oracle source`, `an Oracle front database`. */
  readonly on: string;
  /** The error context naming it: `{ source: 'market-food' }`, `{ target: 'city' }`. */
  readonly context: Readonly<Record<string, string>>;
}

/**
 * Why `tls` cannot be honoured by node-oracledb thin mode (and the key to name), or undefined when
 * it can: a wallet holds the client's certificate, its key and the CA, or there is none.
 */
export function oracleWalletProblem(
  name: OracleConnectionName,
  tls: TlsSettings | undefined,
): { key: 'ca' | 'cert'; message: string } | undefined {
  if (tls === undefined) return undefined;
  const identity = tls.cert !== undefined && tls.key !== undefined;
  if (tls.ca !== undefined && !identity) {
    return {
      key: 'ca',
      message: `${name.label}: \`connection.tls.ca\` needs \`tls.cert\` and \`tls.key\` on ${name.on}: node-oracledb thin mode reads the CA only from a wallet that holds the client's certificate and key, and without it the server would be verified against the public roots instead; add the unit's client certificate and key, or reach the database through a TLS tunnel`,
    };
  }
  if (tls.ca === undefined && (tls.cert !== undefined || tls.key !== undefined)) {
    return {
      key: 'cert',
      message: `${name.label}: \`connection.tls.cert\` and \`tls.key\` need \`tls.ca\` on ${name.on}: node-oracledb thin mode trusts only the certificates of the wallet, which it also sends as the client's chain, so the public roots cannot stand in (a server refuses a chain that large); add the CA that issued the server's certificate (a public CA's root too) as \`tls.ca\``,
    };
  }
  return undefined;
}

/** A host name, an IPv4 address or a bracketed IPv6 one; a service name. Nothing Easy Connect reads more into. */
const PLAIN = {
  host: /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/,
  database: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
} as const;

/** The `(ADDRESS=…)` elements of a connect descriptor, each whole (not `ADDRESS_LIST`). */
function addressesOf(descriptor: string): string[] {
  const out: string[] = [];
  for (const m of descriptor.matchAll(/\(\s*ADDRESS\s*=/gi)) {
    let depth = 0;
    let end = m.index;
    for (; end < descriptor.length; end += 1) {
      if (descriptor[end] === '(') depth += 1;
      else if (descriptor[end] === ')' && --depth === 0) break;
    }
    out.push(descriptor.slice(m.index, end + 1));
  }
  return out;
}

/** Whether an ADDRESS names TCPS and no other protocol. */
function speaksTcps(address: string): boolean {
  const protocols = [...address.matchAll(/\(\s*PROTOCOL\s*=\s*([^()\s]*)\s*\)/gi)].map((m) =>
    m[1]?.toUpperCase(),
  );
  return protocols.length > 0 && protocols.every((p) => p === 'TCPS');
}

/**
 * Whether a written connect string speaks plain TCP: Easy Connect without `tcps://`, or a
 * descriptor with an address whose protocol is not TCPS (or not given: TCP). A bare alias
 * (tnsnames.ora decides) is not judged here.
 */
function speaksPlainTcp(connectString: string): boolean {
  const s = connectString.trim();
  if (s.startsWith('(')) {
    // Each ADDRESS on its own: one without PROTOCOL is TCP, the driver's default.
    const addresses = addressesOf(s);
    return addresses.length === 0 || addresses.some((a) => !speaksTcps(a));
  }
  if (/^tcps:\/\//i.test(s)) return false;
  return /^[a-z0-9]+:\/\//i.test(s) || /[/:]/.test(s);
}

/**
 * Whether a written connect string speaks TCPS alone: `tcps://…`, or a descriptor whose every
 * ADDRESS names PROTOCOL=TCPS. Such a connection is encrypted, or not made, with or without `tls`;
 * a bare alias (tnsnames.ora decides) is not judged so.
 */
export function speaksOnlyTcps(connectString: unknown): boolean {
  if (typeof connectString !== 'string') return false;
  const s = connectString.trim();
  if (s.startsWith('(')) {
    const addresses = addressesOf(s);
    return addresses.length > 0 && addresses.every(speaksTcps);
  }
  return /^tcps:\/\//i.test(s);
}

/**
 * Why the TCPS address cannot be built from `connection` (a `host` or `database` that is not a
 * plain name), or why a written `connectString` does not honour `tls` (it speaks plain TCP), or
 * undefined. Asked only with `tls` set. No value is repeated: it may come from `${env:…}`.
 */
export function oracleAddressProblem(
  label: string,
  c: Readonly<Record<string, unknown>> | undefined,
): { key: 'host' | 'database' | 'connectString'; message: string } | undefined {
  if (c === undefined) return undefined;
  if (c.connectString !== undefined) {
    // As `tls` next to an `http://` URL (adapters/plain-http-tls.ts): the wallet
    // and the DN match go unused and logins and licenses travel in the clear, while `status`
    // reports TLS on.
    if (typeof c.connectString !== 'string' || !speaksPlainTcp(c.connectString)) return undefined;
    return {
      key: 'connectString',
      message: `${label}: expected \`connection.connectString\` to speak TCPS with \`connection.tls\` set (\`tcps://host:port/service\`, or \`(PROTOCOL=TCPS)\` in every ADDRESS), got one that speaks plain TCP: the CA, the client certificate and the DN match would go unused and logins and licenses travel unencrypted; use TCPS, or remove \`tls\``,
    };
  }
  for (const key of ['host', 'database'] as const) {
    const value = c[key];
    if (typeof value !== 'string' || value === '' || PLAIN[key].test(value)) continue;
    const what = key === 'host' ? 'a plain host name or IP address ([…] for IPv6)' : 'a plain service name';
    return {
      key,
      message: `${label}: \`connection.${key}\` is not ${what} (letters, digits, \`.\`, \`_\`, \`-\`): node-oracledb would read the rest of the built address (tcps://host:port/database) as Easy Connect settings, such as \`?ssl_server_dn_match=off\`, which turns the server's host check off; write the whole address in \`connection.connectString\` instead`,
    };
  }
  return undefined;
}

/**
 * Why `tls` written for thin mode cannot be honoured in a process that thick mode has taken over
 * (`thick`, `source old-11g` or `target city`, started it, when known): node-oracledb's thick mode
 * is process-wide and reads its wallet from `sqlnet.ora`, ignoring `tls.ca`, the client
 * certificate, its key and the DN match.
 */
export function oracleThickModeProblem(label: string, thick?: string): string {
  const by = thick ?? 'another Oracle connection';
  return `${label}: \`connection.tls\` is written for node-oracledb thin mode, but ${by} sets \`connection.thickMode: true\`, which puts every Oracle connection of the process in thick mode: it reads its wallet from sqlnet.ora and would ignore \`tls.ca\`, the client certificate, its key and the host check; set \`thickMode: true\` here too with the wallet in sqlnet.ora, or open the thick-mode connection from a config of its own`;
}

/** What {@link oracleConnectionTls} reads of `connection`. */
export interface OracleAddress {
  readonly host?: unknown;
  /** The configured port, or the kind's default. */
  readonly port?: unknown;
  readonly database?: unknown;
  readonly connectString?: unknown;
  /** Oracle Instant Client, which reads its wallet from `sqlnet.ora`. @defaultValue false */
  readonly thickMode?: boolean;
}

/**
 * The driver attributes of `tls` for an Oracle connection at `c`: its wallet, its password, the DN
 * match and the connect string (`tcps://host:port/database` unless one is written); none without
 * `tls`. A `tls` the driver cannot honour, or an address that would not carry it, is refused
 * (LB_CONFIG_INVALID) before anything is sent. `driverThin` is the driver's mode now
 * (`oracledb.thin`): the wallet's rules are thin mode's, and a connection that did not ask for
 * thick mode is refused once another has made the process thick.
 */
export function oracleConnectionTls(
  name: OracleConnectionName,
  c: OracleAddress,
  keys: TlsConnectionKeys,
  driverThin: boolean,
): Record<string, unknown> {
  const t = keys.tls;
  if (t === undefined) return {};
  const refuse = (problem: { message: string } | undefined): void => {
    if (problem === undefined) return;
    throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, problem.message, { context: { ...name.context } });
  };
  // The checks every Oracle connection makes (an empty CA, a servername the driver cannot honour),
  // and its wallet: client certificate, key, then the CA.
  const base = oracleTlsOptions(keys);
  if (!driverThin && c.thickMode !== true) refuse({ message: oracleThickModeProblem(name.label) });
  if (driverThin) refuse(oracleWalletProblem(name, t));
  refuse(oracleAddressProblem(name.label, c as Readonly<Record<string, unknown>>));
  const port = c.port === undefined || c.port === '' ? '' : `:${String(c.port)}`;
  const host = typeof c.host === 'string' ? c.host : 'localhost';
  const database = typeof c.database === 'string' ? c.database : '';
  return {
    ...base,
    ...(c.connectString === undefined ? { connectString: `tcps://${host}${port}/${database}` } : {}),
  };
}
