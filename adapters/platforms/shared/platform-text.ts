/**
 * Text a platform sends back in its own words, made safe to store and print. Platforms echo the
 * record they refuse ("持有人 欧阳秀英 证件号码 370211199001011234 校验失败"), and that text would
 * end in the ledger (a dead letter's reasons), in Redis (a deliver job's failedReason and
 * stacktrace) and in log lines.
 *
 * - Whole-request failures (HTTP errors, SOAP faults) keep only machine tokens
 *   (`^[A-Za-z0-9_.-]{1,40}$`, as `reason` in http-failure.ts): `machineToken`.
 * - A rejection of one license keeps its explanation (`zzbh: required (number)` tells the
 *   operator what to fix), with that license's personal values masked and the rest made safe as
 *   any error's text is (failureMessage): `scrubPlatformReason`. A signing server's words too.
 */
import type { License } from '../../../catalog/license.js';
import { failureMessage } from '../../../core/errors.js';
import { scrubPersonal } from '../../../core/scrub.js';
import { terminalSafe } from '../../../core/terminal-text.js';

const TOKEN = /^[A-Za-z0-9_.-]{1,40}$/;
/** Longest reason kept, in characters. */
const MAX_REASON = 200;
/** What ends a text cut to a bound (`cutText`, and a reason cut to MAX_REASON). */
export const CUT_MARK = '…';
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

/**
 * The machine token a platform's free text starts with — the whole text when it is one
 * (`missing-credentials`), else what stands before its first `:` (`Server.Validation: …` →
 * `Server.Validation`) — or undefined. Nothing else of the text is kept. A validator naming the
 * value it refuses makes the token an ID or phone number (`370211199001011234: 证件号码校验失败`):
 * any run of seven or more digits in it is cut to its last four, as in a rejection's reasons, and
 * a number written in its groups (`110105-19491231-002X`, `138-0013-8000`) masked by its shape
 * (scrubPersonal).
 */
export function machineToken(text: string): string | undefined {
  const trimmed = text.trim();
  if (TOKEN.test(trimmed)) return scrubPersonal(trimmed, [], () => '***');
  const head = trimmed.split(':', 1)[0]?.trim() ?? '';
  return trimmed.includes(':') && TOKEN.test(head) ? scrubPersonal(head, [], () => '***') : undefined;
}

/**
 * The values of a license that name or identify a person or a business: the holder's name and id,
 * and the face fields' text (a legal representative, an address, a phone number). A face value
 * is masked when it holds a Han character or is six characters or longer: short codes (`01`) stay,
 * or every reason mentioning them would be blanked. `others` are added as they are (the holders of
 * the licenses sent with it, `holdersOf`).
 */
export function personalValuesOf(license: License | undefined, others: readonly string[] = []): string[] {
  const values = new Set<string>(others);
  if (!license) return [...values].sort((a, b) => b.length - a.length);
  const add = (v: string, min: number) => {
    const t = v.trim();
    if (t.length >= min) values.add(t);
  };
  add(license.holder.name, 2);
  add(license.holder.id, 2);
  const walk = (v: unknown): void => {
    if (typeof v === 'string') add(v, HAN.test(v) ? 2 : 6);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) walk(x);
  };
  walk(license.surface);
  // Longest first, so a value inside another (a name inside an address) does not leave the rest.
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * The holders (name and id) of the licenses sent together: a platform checking a batch for
 * duplicates names the other record in one license's reason (`与 欧阳秀英 的证照编号重复`). Passed
 * to `personalValuesOf` as `others`.
 */
export function holdersOf(licenses: Iterable<License>): string[] {
  const out = new Set<string>();
  for (const l of licenses) {
    for (const v of [l.holder.name, l.holder.id]) {
      const t = v.trim();
      if (t.length >= 2) out.add(t);
    }
  }
  return [...out];
}

/**
 * A platform's or a server's words, made safe to store and show: on one line, free of escape
 * sequences and control characters, `personal` (a license's values, personalValuesOf, or a
 * signer's credentials, which no shape tells) replaced by `***`, then made safe by failureMessage
 * (core/errors.ts), the one function that does so for any error's text: a quoted value (a name the
 * platform holds of another record), a URL's or connection string's password, a value from a
 * config reference, and numbers by their shapes, an ID or mobile number in its groups and a
 * passport number too. A code and the field a platform names stay (`E102 number already
 * registered`, `zzbh: required (number)`). Masked, then cut to 200 characters (`…` when cut); '' for
 * no words. A text an adapter cut before (cutText) has the part of a value that ends it masked too.
 * `ownWords`: licbridge's own words (an adapter's reason, a licbridge error's message), whose
 * backticks name a code or a config value the operator acts on and stay; any other text's may
 * quote a value.
 */
export function scrubPlatformReason(text: string, personal: readonly string[], ownWords = false): string {
  const line = maskPersonalValues(text, personal);
  // No words stay none (a server's answer stating only a code): failureMessage says `no message`.
  if (line === '') return '';
  const { message } = failureMessage(line, { toldSafe: ownWords, bounded: false });
  // Cut once masked: a value the cut goes through is masked whole before it.
  return cutText(message, MAX_REASON);
}

/**
 * `text` cut to `max` characters (by characters: half of one outside the BMP is none), ended by
 * CUT_MARK when cut. For a platform's words an adapter bounds before the deliver stage masks a
 * license's values in them (scrubPlatformReason): a value the cut goes through is found by its
 * part before the mark.
 */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max).join('')}${CUT_MARK}` : text;
}

/**
 * `text` on one line, free of escape sequences and control characters, `personal` replaced by
 * `***`; in a text that ends cut (`cutText`), also the part of a value that ends it.
 */
function maskPersonalValues(text: string, personal: readonly string[]): string {
  // Escape sequences go whole (core/terminal-text.ts), then any control left: a terminal shown
  // the reason later obeys nothing in it, and no residue of a sequence is left as text.
  let out = terminalSafe(text).replace(CONTROLS, ' ').trim();
  const forms = new Set<string>();
  for (const v of personal) {
    // A machine token the adapter kept (an unknown status, machineToken) had its runs of seven or
    // more digits cut already: the value is masked in that form too, or an id of letters and
    // digits (a unified social credit code) stayed whole but for its first digits.
    for (const form of new Set([v, scrubPersonal(v, [], () => '***')])) {
      forms.add(form);
      if (out.includes(form)) out = out.split(form).join('***');
    }
  }
  return maskCutValue(out, forms);
}

/**
 * A text cut to a bound before it was masked (`cutText`) may end within a value: its part ('…持证人
 * 欧阳…', an ID number's first ten digits) is no value the masking finds, and once the values before
 * it are masked it may stand within the MAX_REASON characters kept. The longest start of any value
 * that ends the text is masked too.
 */
function maskCutValue(out: string, forms: ReadonlySet<string>): string {
  if (!out.endsWith(CUT_MARK)) return out;
  const body = out.slice(0, -CUT_MARK.length);
  let longest = 0;
  for (const form of forms) {
    for (let n = Math.min(form.length - 1, body.length); n > longest; n -= 1) {
      if (body.endsWith(form.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest === 0 ? out : `${body.slice(0, body.length - longest)}***${CUT_MARK}`;
}
