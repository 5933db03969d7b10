/**
 * Which target entries name one platform, for the platform check's "compared elsewhere"
 * (reconcile.ts): a pipeline delivering to the same platform under another target name compares
 * its licenses there in its own check.
 */
import { urlUnder } from '../../adapters/platforms/shared/platform-url.js';
import type { LoadedTargetConfig } from '../../config/target-types.js';

const DATABASE_AT = ['host', 'port', 'database', 'user', 'connectString', 'instanceName'] as const;

/**
 * Whether two target entries name one platform (another OAuth scope, a renamed or moved target):
 * what either delivers is there. HTTP kinds: same kind and base URL (scheme and host in any case, a
 * trailing slash). front-db: same database (client, file or server, database, login: on Oracle an
 * unqualified table is the login's) and exchange table.
 */
export function samePlatform(a: LoadedTargetConfig | undefined, b: LoadedTargetConfig | undefined): boolean {
  if (a === undefined || b === undefined || a.kind !== b.kind) return false;
  if (a === b) return true;
  if (a.kind === 'front-db' && b.kind === 'front-db') {
    const at = (c: typeof a): string => {
      const [host = '', ...rest] = DATABASE_AT.map((k) => String(c.connection?.[k] ?? ''));
      return JSON.stringify([c.client, c.path, c.table, host.toLowerCase(), ...rest]);
    };
    return at(a) === at(b);
  }
  return 'url' in a && 'url' in b && baseUrl(a.url) === baseUrl(b.url);
}

/**
 * A base URL as one platform: the URL its endpoints are built under (platform-url.ts `urlUnder`),
 * whose parsing lowers scheme and host, drops a default port and the path's trailing slashes.
 */
function baseUrl(url: string): string {
  try {
    return urlUnder(url, '/').href;
  } catch {
    return url;
  }
}
