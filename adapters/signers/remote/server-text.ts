/**
 * A signing server's own words (an HTTP error's body, the `code` and `message` of a 200 stating an
 * error) as the remote signer's errors quote them. Those errors reach logs, a sign job's
 * failedReason (Redis) and a run's stored error, and a server, or a gateway in front of it, may
 * echo what it was sent or who asked: the text is masked as a platform's reason is
 * (`scrubPlatformReason`, which hands it to failureMessage, core/errors.ts: quoted values hidden,
 * passwords in URLs and connection strings hidden, an ID number, a credit code or a run of seven
 * or more digits cut to its last four), with the signer's own credentials among the values
 * replaced by `***`, on one line, masked before it is cut to 200 characters (a cut first could
 * leave an ID number's first digits, too few for the digit rule). Values from `${env:…}` references are scrubbed by every error
 * anyway (core/scrub.ts); a token written into the config is not one.
 *
 * An error code the server states apart (`code`, …) is quoted whole when it has a code's shape
 * (`codeShaped`): GM/T 0018's are 32-bit numbers (SDR_KEYNOTEXIST is 0x01000008, 16777224), which
 * the digit rule cut to `0x****0008` and `****7224`, nothing an operator could look up.
 */
import { MIN_SECRET_LENGTH, scrubPersonal } from '../../../core/scrub.js';
import { terminalLine } from '../../../core/terminal-text.js';
import { scrubPlatformReason } from '../../platforms/shared/platform-text.js';
import type { RemoteSignerAuthConfig } from './config.js';

/** The values of the signer's auth that must not be quoted back: a bearer token, an HMAC secret. */
export function credentialsOf(auth: RemoteSignerAuthConfig): string[] {
  const values = auth.scheme === 'bearer' ? [auth.token] : auth.scheme === 'hmac' ? [auth.secret] : [];
  return values.filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/** Characters of the server's words quoted, at most. */
const QUOTED_CHARS = 200;

/** `text` as an error may quote it: one line, masked, at most 200 characters (and `…` when cut). */
export function quotedServerText(text: string, credentials: readonly string[]): string {
  return scrubPlatformReason(terminalLine(text), credentials);
}

/** Members in which signing servers state an error, code first, then the words. */
const ERROR_CODES = ['code', 'errorCode', 'errCode'];
const ERROR_WORDS = ['error', 'message', 'msg', 'errorMessage', 'errorMsg', 'errMsg'];
/** A 32-bit error code: decimal (10 digits at most, fewer than a mobile number's 11) or hex. */
const NUMERIC_CODE = /^(?:-?\d{1,10}|0[xX][0-9A-Fa-f]{1,8})$/;

/**
 * Whether a stated code is quoted whole: a 32-bit number, or a token the masking leaves as it is
 * (`E1007`, `SDR_KEYNOTEXIST`), and none of the signer's credentials. A mobile or ID number, a
 * credit code or anything longer is masked as words are.
 */
function codeShaped(code: string, credentials: readonly string[]): boolean {
  if (credentials.some((c) => code.includes(c))) return false;
  if (NUMERIC_CODE.test(code)) return true;
  return /^[A-Za-z0-9_.-]{1,40}$/.test(code) && scrubPersonal(code, [], () => '***') === code;
}

/**
 * What an answer stating an error (`{"code": …, "message": …}`; `error` may be such an object
 * itself) says, on one line of at most 200 characters (`…` when cut): its codes, whole when
 * code-shaped, then its words, masked (`quotedServerText`); '' when it states nothing.
 */
export function statedError(answer: unknown, credentials: readonly string[]): string {
  const codes: string[] = [];
  const words: string[] = [];
  const read = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const v = value as Record<string, unknown>;
    for (const k of ERROR_CODES) {
      const x = v[k];
      if (typeof x !== 'string' && typeof x !== 'number') continue;
      const code = String(x).trim();
      if (codeShaped(code, credentials)) codes.push(code);
      else words.push(code);
    }
    for (const k of ERROR_WORDS) {
      const x = v[k];
      if (typeof x === 'string' || typeof x === 'number') words.push(String(x));
      else if (k === 'error' && depth === 0) read(x, 1);
    }
  };
  read(answer, 0);
  const masked = quotedServerText(words.join(' '), credentials);
  const text = [...codes, masked].filter((t) => t !== '').join(' ');
  return text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text;
}

/**
 * An HTTP error's body as quoted: a JSON object stating an error as `statedError` reads it, its
 * code whole; any other body masked (`quotedServerText`).
 */
export function quotedErrorBody(body: string, credentials: readonly string[]): string {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return quotedServerText(body, credentials);
  }
  return statedError(answer, credentials) || quotedServerText(body, credentials);
}
