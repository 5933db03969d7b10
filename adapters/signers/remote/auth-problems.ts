/**
 * Credentials of a `remote` signer that go into a request header as they are (the bearer token,
 * the HMAC app key) must be characters a header can carry. Node refuses a line end or another
 * control character (an environment file written on Windows leaves a "\r" at the end of
 * `${env:…}`) before anything is sent, and the refusal read as a connection failure: retried by
 * every attempt of every sign job, for a config nothing but an edit mends. Refused where it is
 * written instead (the kind's `problems`), naming the field and the position, never the value.
 * The HMAC secret only keys the signature and may hold anything.
 */
import type { RemoteSignerAuthConfig } from './config.js';

/** What Node's HTTP client refuses in a header value (its `checkInvalidHeaderChar`). */
const NOT_IN_HEADER = /[^\t\x20-\x7e\x80-\xff]/;

export interface AuthProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/** The problems of the header-borne credentials of `auth` (none for a config that has none). */
export function authHeaderProblems(name: string, auth: RemoteSignerAuthConfig | undefined): AuthProblem[] {
  const fields: [string, unknown][] =
    auth?.scheme === 'bearer'
      ? [['token', auth.token]]
      : auth?.scheme === 'hmac'
        ? [['appKey', auth.appKey]]
        : [];
  const problems: AuthProblem[] = [];
  for (const [field, value] of fields) {
    if (typeof value !== 'string') continue;
    const at = value.search(NOT_IN_HEADER);
    if (at < 0) continue;
    problems.push({
      path: ['auth', field],
      message: `signer ${name}: \`auth.${field}\` holds a character an HTTP header cannot carry (a line end or another control character, at position ${at + 1}): every request would be refused before it is sent`,
    });
  }
  return problems;
}
