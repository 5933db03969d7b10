/**
 * Hex identifiers — a front-db exchange batch number (`BATCH_NO`, 32 hex characters), a hash, a
 * trace id — are no personal data, and a person looks one up whole. Text from outside is scrubbed
 * of runs of seven or more digits (scrubPersonal, ./scrub.ts), and those runs are common inside
 * one: a batch number cut to `4E7A0C******6301…` named no batch an operator could find.
 */

import { isValidUscc } from './uscc.js';

/**
 * 64 bits and more, as hex ids are (a batch number 128 bits, a hash 160 or 256). A document number
 * with a hex letter among its digits is shorter: a passport number `E12345678`, a travel permit
 * `C12345678`.
 */
const MIN_LENGTH = 16;
const HEX = /^[0-9A-Fa-f]+$/;
const HEX_LETTER = /[A-Fa-f]/;
/**
 * A run of digits that may hold a person's number glued to hex letters (`DEADBEEF13800138000`):
 * a mobile number (1, 3–9 and nine digits), or fifteen digits or more (a resident ID number, GB
 * 11643, old or new; a bank card number).
 */
const PERSONAL_RUN = /[0-9]{15,}|1[3-9][0-9]{9}/;

/**
 * Whether a run of letters and digits standing alone is a hex identifier: sixteen hex characters
 * or more with a letter A–F among them (no resident ID number has one: 17 digits and a digit or
 * X), no run of digits in it that may be a mobile or ID number, and, of 18 characters, no credit
 * code (GB 32100, whose alphabet holds A–F: one with a right check character is masked).
 */
export function isHexIdentifier(token: string): boolean {
  if (token.length < MIN_LENGTH || !HEX.test(token) || !HEX_LETTER.test(token)) return false;
  if (PERSONAL_RUN.test(token)) return false;
  return !(token.length === 18 && isValidUscc(token.toUpperCase()));
}

/**
 * Letters and digits standing together; a percent-escape's two hex digits before them are none of
 * them (`%3D1101…` holds the number `1101…`, not the hex id `3D1101…`).
 */
const ALNUM_RUN = /(%[0-9A-Fa-f]{2})?([0-9A-Za-z]+)/g;

/**
 * A UUID (a run id, a job's or a report's id): its groups are shorter than MIN_LENGTH, but one in
 * twenty begins with seven digits or more, which the scrubbing cut (`***2161d-…`), leaving a run id
 * no one could look up. No letter or digit stands beside it, but a dash may join it to words:
 * licbridge's own run ids carry a prefix (`repair-<uuid>`, `replay-<uuid>`,
 * `lifecycle-<day>-<uuid>`), and such a run id was cut (`repair-***2161d-…`) where the same UUID
 * alone was kept. What the dash joins it to is no part of it, and is masked by its own shape.
 */
const UUID =
  /(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])/g;

/** The `[start, end)` of each UUID in `text`, whatever its groups hold. */
export function uuidSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(UUID)) spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  return spans;
}

const UUID_LENGTH = 36;

/**
 * Whether `text[start, end)` lies inside a UUID of `text` (uuidSpans). Such a UUID lies within
 * UUID_LENGTH characters of it: only those, and one on either side for what may stand beside it,
 * are read. Reading the whole text for each number's shape checked took time growing with the
 * square of a long line's length. A UUID found at the edge of that stretch with its neighbour cut
 * off ends before `end` or starts after `start`, and UUIDs never overlap: the answer is the same.
 */
export function inUuid(text: string, start: number, end: number): boolean {
  const from = Math.max(0, end - UUID_LENGTH - 1);
  const near = text.slice(from, Math.min(text.length, start + UUID_LENGTH + 1));
  if (!near.includes('-')) return false;
  return uuidSpans(near).some(([a, b]) => from + a <= start && end <= from + b);
}

/**
 * The `[start, end)` of each hex identifier in `text` (isHexIdentifier), and of each UUID none of
 * whose groups holds a run of digits that may be a mobile or ID number (PERSONAL_RUN).
 */
export function hexIdentifierSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const [start, end] of uuidSpans(text)) {
    if (
      text
        .slice(start, end)
        .split('-')
        .some((group) => PERSONAL_RUN.test(group))
    )
      continue;
    spans.push([start, end]);
  }
  for (const m of text.matchAll(ALNUM_RUN)) {
    const token = m[2] ?? '';
    const start = (m.index ?? 0) + (m[1]?.length ?? 0);
    if (isHexIdentifier(token)) spans.push([start, start + token.length]);
  }
  return spans;
}
