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
import { maskNumberShapes } from '../../../core/personal-shapes.js';
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

/**
 * Characters of a credential in a row that are masked wherever the server's words hold them, in
 * any letter case: as many as core/scrub.ts masks of a value from a config reference.
 */
const CREDENTIAL_RUN = 16;

/** `text` with each UTF-16 unit lower-cased where that keeps it one unit, so positions match. */
function folded(text: string): string {
  let out = '';
  for (const unit of text) {
    const lower = unit.toLowerCase();
    out += lower.length === unit.length ? lower : unit;
  }
  return out;
}

/**
 * `text` with every run of {@link CREDENTIAL_RUN} or more characters of a credential (a shorter
 * credential: the whole of it), in any letter case, replaced by `***`. A server or a gateway
 * refusing a request quotes the token it refused cut short (`token Zq8rT2vLx9Pw4KmN… rejected`),
 * lower-cased, or as an error code: masked only where it came whole and as written, the rest of a
 * token written into the config reached the logs, Redis and the ledger.
 */
export function maskCredentialRuns(text: string, credentials: readonly string[]): string {
  if (credentials.length === 0 || text === '') return text;
  const seen = folded(text);
  const masked = new Uint8Array(seen.length);
  let any = false;
  for (const credential of credentials) {
    const c = folded(credential);
    const width = Math.min(CREDENTIAL_RUN, c.length);
    if (width === 0) continue;
    const runs = new Set<string>();
    for (let i = 0; i + width <= c.length; i++) runs.add(c.slice(i, i + width));
    for (let i = 0; i + width <= seen.length; i++) {
      if (runs.has(seen.slice(i, i + width))) {
        masked.fill(1, i, i + width);
        any = true;
      }
    }
  }
  if (!any) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (masked[i] === 0) out += text[i];
    else if (i === 0 || masked[i - 1] === 0) out += '***';
  }
  return out;
}

/** `text` as an error may quote it: one line, masked, at most 200 characters (and `…` when cut). */
export function quotedServerText(text: string, credentials: readonly string[]): string {
  return scrubPlatformReason(terminalLine(maskCredentialRuns(text, credentials)), credentials);
}

/** Members in which signing servers state an error, code first, then the words. */
const ERROR_CODES = ['code', 'errorCode', 'errCode'];
const ERROR_WORDS = ['error', 'message', 'msg', 'errorMessage', 'errorMsg', 'errMsg'];
/** A 32-bit error code: decimal (10 digits at most, fewer than a mobile number's 11) or hex. */
const NUMERIC_CODE = /^(?:-?\d{1,10}|0[xX][0-9A-Fa-f]{1,8})$/;

/**
 * Whether a stated code is quoted whole: a 32-bit number, or a token the masking leaves as it is
 * (`E1007`, `SDR_KEYNOTEXIST`), and none of the signer's credentials. A mobile or ID number, a
 * credit code or anything longer is masked as words are; so is one written in groups
 * (`138-0013-8000`, `110101-900307-123`), found by its shape (maskNumberShapes), where the digit
 * rule sees no run of seven digits.
 */
function codeShaped(code: string, credentials: readonly string[]): boolean {
  if (maskCredentialRuns(code, credentials) !== code) return false;
  if (NUMERIC_CODE.test(code)) return true;
  return (
    /^[A-Za-z0-9_.-]{1,40}$/.test(code) &&
    scrubPersonal(code, [], () => '***') === code &&
    maskNumberShapes(code) === code
  );
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
