/**
 * A signing server's own words (an HTTP error's body, the `code` and `message` of a 200 stating an
 * error) as the remote signer's errors quote them. Those errors reach logs, a sign job's
 * failedReason (Redis) and a run's stored error, and a server, or a gateway in front of it, may
 * echo what it was sent or who asked: the text is masked as a platform's reason is
 * (`scrubPlatformReason`: an ID number, a credit code or a run of seven or more digits cut to its
 * last four), with the signer's own credentials among the values replaced by `***`, on one line,
 * masked before it is cut to 200 characters (a cut first could leave an ID number's first digits,
 * too few for the digit rule). Values from `${env:…}` references are scrubbed by every error
 * anyway (core/scrub.ts); a token written into the config is not one.
 */
import { MIN_SECRET_LENGTH } from '../../../core/scrub.js';
import { terminalLine } from '../../../core/terminal-text.js';
import { scrubPlatformReason } from '../../platforms/shared/platform-text.js';
import type { RemoteSignerAuthConfig } from './config.js';

/** The values of the signer's auth that must not be quoted back: a bearer token, an HMAC secret. */
export function credentialsOf(auth: RemoteSignerAuthConfig): string[] {
  const values = auth.scheme === 'bearer' ? [auth.token] : auth.scheme === 'hmac' ? [auth.secret] : [];
  return values.filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/** `text` as an error may quote it: one line, masked, at most 200 characters (and `…` when cut). */
export function quotedServerText(text: string, credentials: readonly string[]): string {
  return scrubPlatformReason(terminalLine(text), credentials);
}
