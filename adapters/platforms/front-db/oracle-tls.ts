/**
 * `connection.tls` of an Oracle front database as node-oracledb thin mode takes it: a TCPS
 * address and a PEM wallet (`walletContent`) of the client's certificate, its key and the CAs.
 *
 * - knex writes the address from `host`, `port` and `database` as `host:port/database`, which the
 *   driver opens as plain TCP: with `tls` set, the target spoke TNS in the clear to the server it
 *   was told to verify. The address is now `tcps://…`; a written `connectString` says its own
 *   protocol, as for an Oracle source.
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
 */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { TlsSettings } from '../../../core/tls.js';
import { oracleTlsOptions, type TlsConnectionKeys } from '../../../core/tls-drivers.js';

/**
 * Why `tls` cannot be honoured on an Oracle front database (and the key to name), or undefined
 * when it can: a wallet holds the client's certificate, its key and the CA, or there is none.
 */
export function oracleTlsProblem(
  target: string,
  tls: TlsSettings | undefined,
): { key: 'ca' | 'cert'; message: string } | undefined {
  if (tls === undefined) return undefined;
  const identity = tls.cert !== undefined && tls.key !== undefined;
  if (tls.ca !== undefined && !identity) {
    return {
      key: 'ca',
      message: `target ${target}: \`connection.tls.ca\` needs \`tls.cert\` and \`tls.key\` on an Oracle front database: node-oracledb thin mode reads the CA only from a wallet that holds the client's certificate and key, and without it the server would be verified against the public roots instead; add the unit's client certificate and key, or reach the database through a TLS tunnel`,
    };
  }
  if (tls.ca === undefined && (tls.cert !== undefined || tls.key !== undefined)) {
    return {
      key: 'cert',
      message: `target ${target}: \`connection.tls.cert\` and \`tls.key\` need \`tls.ca\` on an Oracle front database: node-oracledb thin mode trusts only the certificates of the wallet, which it also sends as the client's chain, so the public roots cannot stand in (a server refuses a chain that large); add the CA that issued the server's certificate (a public CA's root too) as \`tls.ca\``,
    };
  }
  return undefined;
}

/** A host name, an IPv4 address or a bracketed IPv6 one; a service name. Nothing Easy Connect reads more into. */
const PLAIN = {
  host: /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/,
  database: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
} as const;

/**
 * Whether a written connect string speaks plain TCP: Easy Connect without `tcps://`, or a
 * descriptor with an address whose protocol is not TCPS. A bare alias (tnsnames.ora decides) is
 * not judged here.
 */
function speaksPlainTcp(connectString: string): boolean {
  const s = connectString.trim();
  if (s.startsWith('(')) {
    const protocols = [...s.matchAll(/\(\s*PROTOCOL\s*=\s*([A-Za-z]+)\s*\)/gi)].map((m) =>
      m[1]?.toUpperCase(),
    );
    return protocols.length === 0 || protocols.some((p) => p !== 'TCPS');
  }
  if (/^tcps:\/\//i.test(s)) return false;
  return /^[a-z0-9]+:\/\//i.test(s) || /[/:]/.test(s);
}

/**
 * Why the TCPS address cannot be built from `connection` (a `host` or `database` that is not a
 * plain name), or why a written `connectString` does not honour `tls` (it speaks plain TCP), or
 * undefined. Asked only with `tls` set. No value is repeated: it may come from `${env:…}`.
 */
export function oracleAddressProblem(
  target: string,
  c: Readonly<Record<string, unknown>> | undefined,
): { key: 'host' | 'database' | 'connectString'; message: string } | undefined {
  if (c === undefined) return undefined;
  if (c.connectString !== undefined) {
    // As `tls` next to an `http://` URL (../shared/plain-http-tls.ts): the wallet and the DN match
    // go unused and logins and licenses travel in the clear, while `status` reports TLS on.
    if (typeof c.connectString !== 'string' || !speaksPlainTcp(c.connectString)) return undefined;
    return {
      key: 'connectString',
      message: `target ${target}: expected \`connection.connectString\` to speak TCPS with \`connection.tls\` set (\`tcps://host:port/service\`, or \`(PROTOCOL=TCPS)\` in every ADDRESS), got one that speaks plain TCP: the CA, the client certificate and the DN match would go unused and logins and licenses travel unencrypted; use TCPS, or remove \`tls\``,
    };
  }
  for (const key of ['host', 'database'] as const) {
    const value = c[key];
    if (typeof value !== 'string' || value === '' || PLAIN[key].test(value)) continue;
    const what = key === 'host' ? 'a plain host name or IP address ([…] for IPv6)' : 'a plain service name';
    return {
      key,
      message: `target ${target}: \`connection.${key}\` is not ${what} (letters, digits, \`.\`, \`_\`, \`-\`): node-oracledb would read the rest of the built address (tcps://host:port/database) as Easy Connect settings, such as \`?ssl_server_dn_match=off\`, which turns the server's host check off; write the whole address in \`connection.connectString\` instead`,
    };
  }
  return undefined;
}

/** The driver options of `tls` for an Oracle front database at `c` (host, port, database, connectString). */
export function oracleFrontDbTls(
  target: string,
  c: Readonly<Record<string, unknown>>,
  keys: TlsConnectionKeys,
): Record<string, unknown> {
  const t = keys.tls;
  if (t === undefined) return {};
  // The checks every Oracle connection makes (an empty CA, a servername the driver cannot honour),
  // and its wallet: client certificate, key, then the CA.
  const base = oracleTlsOptions(keys);
  const problem = oracleTlsProblem(target, t);
  if (problem !== undefined) {
    throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, problem.message, { context: { target } });
  }
  const address = oracleAddressProblem(target, c);
  if (address !== undefined) {
    throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, address.message, { context: { target } });
  }
  const port = c.port === undefined || c.port === '' ? '' : `:${String(c.port)}`;
  const host = typeof c.host === 'string' ? c.host : 'localhost';
  const database = typeof c.database === 'string' ? c.database : '';
  return {
    ...base,
    ...(c.connectString === undefined ? { connectString: `tcps://${host}${port}/${database}` } : {}),
  };
}
