/**
 * `tls:` next to a plain `http://` URL. The HTTP client takes an `http:` URL over its plain agent:
 * the CA in `tls.ca` verifies nothing, the client certificate is never presented, `servername`
 * and `minVersion` do nothing, and the licenses, signatures and credentials go unencrypted — while
 * the config reads as if the connection were verified, and `config check` and `status` said
 * nothing. A kind whose targets or signers speak HTTP (rest-json, soap-xml, notify, a remote
 * signing server) refuses such a config where it is written (its spec's `problems`), so every
 * command does, `config check` first.
 */

import { clientCertificateProblems } from './client-certificate.js';

/** A problem at `path` below the component's own config (`targets.<name>`, `signers.<name>`). */
export interface PlainHttpTlsProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** What a target or signer with a URL and `tls` holds, as the config loader hands it to `problems`. */
interface HttpComponentShape {
  readonly url?: unknown;
  readonly tls?: unknown;
  readonly auth?: unknown;
}

/** The URL's scheme, host and port when it is plain `http:`; never its user info, path or query. */
function plainOrigin(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
};

const unused = (key: string, removable: boolean) =>
  `over plain HTTP the CA, client certificate and \`servername\` in \`${key}\` are not used and everything sent travels unencrypted; use \`https://\`${removable ? `, or remove \`${key}\`` : ''}`;

/**
 * The problems of `url` and `auth.tokenUrl` / `auth.refreshUrl` given as `http://` where `tls`
 * would apply: the component's `url` with `tls`; a credential URL with `auth.tls`, or on the
 * target's own host with `tls` (such a request goes over the target's connection:
 * platforms/shared/auth/credential-request.ts). `component` names it in the message: `target`
 * (the default, so a target kind's spec takes the function as its `problems`) or `signer`.
 * The client certificate's own problems come with them (./client-certificate.ts): every kind
 * speaking HTTPS takes this function as, or into, its `problems`.
 */
export function plainHttpTlsProblems(
  name: string,
  config: HttpComponentShape,
  component: 'target' | 'signer' = 'target',
): PlainHttpTlsProblem[] {
  const problems: PlainHttpTlsProblem[] = [];
  const origin = plainOrigin(config.url);
  if (config.tls !== undefined && origin !== undefined) {
    problems.push({
      path: ['url'],
      message: `${component} ${name}: expected an \`https://\` \`url\` with \`tls\` set, got \`${origin}\`: ${unused('tls', true)}`,
    });
  }
  const auth = (typeof config.auth === 'object' && config.auth !== null ? config.auth : {}) as Record<
    string,
    unknown
  >;
  const targetHost = typeof config.url === 'string' ? hostOf(config.url) : undefined;
  for (const field of ['tokenUrl', 'refreshUrl'] as const) {
    const url = auth[field];
    const at = plainOrigin(url);
    if (at === undefined || typeof url !== 'string') continue;
    const key =
      auth.tls !== undefined
        ? 'auth.tls'
        : config.tls !== undefined && targetHost !== undefined && hostOf(url) === targetHost
          ? 'tls'
          : undefined;
    if (key === undefined) continue;
    problems.push({
      path: ['auth', field],
      message: `${component} ${name}: expected an \`https://\` \`auth.${field}\` with \`${key}\` set, got \`${at}\`: ${unused(key, key === 'auth.tls')}`,
    });
  }
  problems.push(...clientCertificateProblems(name, config, component));
  return problems;
}
