/**
 * One rule and one message for every time zone licbridge is given: `lifecycle.timeZone` (the
 * department's day, every schedule's clock), `reconcile.timeZone` (the times in reports), a `date`
 * transform's `zone`. Each used to be checked where it was read, each with its own words, and
 * `reconcile.timeZone` nowhere: a typo there loaded and failed inside the first report written.
 * The rule is Intl's (an IANA name, case as written or not; `Asia/Shangai` is none), the one every
 * reader of the zone (Intl, cron-parser's luxon) applies later.
 */
import { ErrorCodes, LicbridgeError } from './errors.js';
import { isTimeZone } from './local-date.js';

/** What `zone`, read at `field`, is got as: the text, or the value and its type. */
function got(zone: unknown): string {
  if (typeof zone !== 'string') return `\`${String(zone)}\` (${zone === null ? 'null' : typeof zone})`;
  const shown = zone.length > 60 ? `${zone.slice(0, 57)}...` : zone;
  return `\`${shown}\`, which this system does not know`;
}

/**
 * Why `zone` is no time zone, naming `field` (`lifecycle.timeZone`) and the value; undefined when
 * Intl knows it. A caller that reports problems at a file's line puts this there.
 */
export function timeZoneProblem(zone: unknown, field: string): string | undefined {
  if (typeof zone === 'string' && isTimeZone(zone)) return undefined;
  return `expected \`${field}\` to be an IANA time zone such as Asia/Shanghai, got ${got(zone)}`;
}

/**
 * Throws `LB_CONFIG_INVALID` with `timeZoneProblem`'s message after `file`, the config that holds
 * `field`, unless `zone` is a time zone; for code that reads a zone from a config it did not load
 * itself (a config built in code never met the loader's check).
 */
export function assertTimeZone(zone: unknown, field: string, file?: string): asserts zone is string {
  const problem = timeZoneProblem(zone, field);
  if (problem === undefined) return;
  throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, file ? `${file}: ${problem}` : problem);
}
