/**
 * Plain `http://` to a host that is not this one: a target (rest-json, soap-xml, notify), its token
 * or secret endpoint, or a remote signing server. Everything sent goes unencrypted and the server
 * is not authenticated: licenses, the catalog a rest-json target publishes (the same origin),
 * digests and signatures, holders' phone numbers and app user ids, and the credentials. The
 * schema takes `http://` (simulators, a gateway on this host), and adapters/plain-http-tls.ts
 * refuses only `tls:` beside it, so these are findings of `config check` and `status`
 * (config/tls-findings.ts insecureTlsSettings). Loopback (127.0.0.0/8, ::1, `localhost`) never
 * leaves the host and is not reported. A finding names the URL's origin only: never its user
 * info, path or query.
 */
import { BlockList, isIP } from 'node:net';
import type { Config } from './types.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `localhost`, 127.0.0.0/8 and ::1 (IPv4-mapped 127.x too), as the URL parser normalized them. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host === 'localhost.') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** The origin (scheme, host, port) of a plain `http:` URL to another host; undefined otherwise. */
export function remotePlainOrigin(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !isLoopbackHost(u.hostname) ? u.origin : undefined;
  } catch {
    return undefined; // The schema already refused a URL that does not parse.
  }
}

/** What each target kind sends its server. */
const TARGET_SENDS: Readonly<Record<string, string>> = {
  'rest-json': 'licenses, the catalog `licbridge catalog pull` reads and the credentials',
  'soap-xml': 'licenses and the credentials',
  notify: "reminders with holders' phone numbers or app user ids, and the credentials",
};

const line = (component: string, origin: string, sent: string, key: string): string =>
  `${component}: plain http to ${origin}: ${sent} travel unencrypted, and anyone on the network path can read, alter or answer them; use \`https://\` and put its CA in \`${key}.tls.ca\``;

/** One line per target, token or secret endpoint and remote signer reached by plain http off this host. */
export function plainHttpFindings(config: Readonly<Config>): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(config.targets)) {
    if (t.kind === 'front-db') continue;
    const origin = remotePlainOrigin(t.url);
    if (origin) {
      const sent = TARGET_SENDS[t.kind] ?? 'what is sent and the credentials';
      out.push(line(`target ${name}`, origin, sent, `targets.${name}`));
    }
    // A token or secret endpoint elsewhere than the target's own origin (reported above).
    const auth = (t as { auth?: { tokenUrl?: unknown; refreshUrl?: unknown } }).auth;
    const credentials = [auth?.tokenUrl, auth?.refreshUrl]
      .map(remotePlainOrigin)
      .filter((o): o is string => o !== undefined && o !== origin);
    for (const at of new Set(credentials)) {
      out.push(line(`target ${name} auth`, at, 'the credentials', `targets.${name}.auth`));
    }
  }
  for (const [name, s] of Object.entries(config.signers)) {
    if (s.kind !== 'remote') continue;
    const origin = remotePlainOrigin(s.url);
    if (origin) {
      const sent = 'the digests to sign, the signatures and the credentials';
      out.push(line(`signer ${name}`, origin, sent, `signers.${name}`));
    }
  }
  return out;
}
