/**
 * HTTP-date (RFC 9110 §5.6.7), read strictly: the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, or
 * the obsolete forms a recipient must still take, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and
 * asctime `Sun Nov  6 08:49:37 1994`. All three are GMT. `Date.parse` takes far more: a bare `1.5`
 * or `-1` (read as years), an ISO time without a zone (read in this host's zone), another zone.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const DAY_LONG = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// Names are case-sensitive in the grammar, and single spaces separate the parts.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} (\\d{2}| \\d) ${TIME} (\\d{4})$`);

/** ms since the epoch of an HTTP-date, or undefined for anything else. `now` places RFC 850's 2-digit year. */
export function parseHttpDate(text: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(m[6], m[1], m[2], m[3], m[4], m[5]);
  m = RFC850_DATE.exec(text);
  if (!m) return undefined;
  // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is the latest past year ending so.
  const thisYear = new Date(now).getUTCFullYear();
  let year = thisYear - (thisYear % 100) + Number(m[3]);
  if (year > thisYear + 50) year -= 100;
  return utc(String(year), m[2], m[1], m[4], m[5], m[6]);
}

function utc(...parts: (string | undefined)[]): number | undefined {
  const [year, month, day, hour, minute, second] = parts;
  const y = Number(year);
  const mo = MONTHS.indexOf(month ?? '');
  const d = Number(day?.trim());
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 0 || h > 23 || mi > 59 || s > 60) return undefined;
  const at = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads a year below 100 as 19xx.
  at.setUTCFullYear(y, mo, d);
  at.setUTCHours(h, mi, Math.min(s, 59));
  // A day the month lacks (31 Feb) rolls into the next month: no such date.
  if (at.getUTCMonth() !== mo || at.getUTCDate() !== d) return undefined;
  // 60 is a leap second (§5.6.7 allows it), read as the second after 59.
  return at.getTime() + (s === 60 ? 1000 : 0);
}
