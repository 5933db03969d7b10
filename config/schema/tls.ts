// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closed, type Schema, secret, str } from './builders.js';

/**
 * `tls:` — the one TLS model of every connection licbridge opens (SQL sources, front databases,
 * platforms, remote signers, Redis). Certificate and host-name verification are on whenever TLS
 * is on; only `insecureSkipVerify: true` turns them off, and `config check` and `status` flag it.
 */
export const tls: Schema = closed(
  'TLS for this connection. Verification of the server certificate and host name is always on unless `insecureSkipVerify` is set. PEM values are usually `${file:…}` references. Default: no TLS settings (for HTTPS URLs and `rediss://`: the public roots, verified).',
  {
    ca: str(
      'PEM CA certificates trusted for this connection instead of the public roots (a government CA bundle), usually `${file:…}`. Default: the public roots.',
    ),
    cert: str('PEM client certificate (and chain) for mutual TLS, usually `${file:…}`. Default: none.'),
    key: secret(str('PEM private key of `cert` (plain or encrypted), usually `${file:…}`. Default: none.')),
    passphrase: secret(str('Passphrase of an encrypted `key`, usually `${env:…}`. Default: none.')),
    servername: str(
      'Host name the server certificate must carry, when it differs from the host connected to (an IP address, a tunnel). Default: the host.',
    ),
    minVersion: {
      type: 'string',
      enum: ['TLSv1.2', 'TLSv1.3'],
      // No `default` keyword: the fragment also sits inside `anyOf` (queue.redis.tls), where
      // defaults are not applied; core/tls.ts applies it.
      description: 'Oldest TLS version accepted. Default: `TLSv1.2`.',
    },
    insecureSkipVerify: {
      type: 'boolean',
      description:
        'Default: false. Accept any server certificate and host name. Anyone on the path can then impersonate the server: `config check` warns and `licbridge status` needs a person (exit 3) while it is set.',
    },
  },
);
