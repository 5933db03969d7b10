/**
 * How a source (or another part) that could not be opened is worded, by `config check --connect`
 * and `status` alike: a refused login (`LB_SOURCE_AUTH`) reached the server, so it stands in its
 * own words (`source x: login failed as user …`), never as "not reachable"; any other failure is
 * "not reachable", with `what` said once when the error already opens with it (a source's errors
 * name the source).
 */
import { ErrorCodes, isLicbridgeError } from '../core/errors.js';

/**
 * `message` is the error's text as the caller shows it (`status` masks personal shapes first);
 * `refusedLogin` says which of the two wordings it got.
 */
export function unreachedMessage(
  what: string,
  error: unknown,
  message: string = error instanceof Error ? error.message : String(error),
): { text: string; refusedLogin: boolean } {
  if (isLicbridgeError(error) && error.code === ErrorCodes.SOURCE_AUTH && message.startsWith(`${what}: `)) {
    return { text: message, refusedLogin: true };
  }
  const detail = message.startsWith(`${what}: `) ? message.slice(what.length + 2) : message;
  return { text: `${what}: not reachable: ${detail}`, refusedLogin: false };
}
