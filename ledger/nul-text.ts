/**
 * Keys holding a NUL character (U+0000) on a PostgreSQL ledger. MySQL, SQL Server and SQLite store
 * a NUL inside text and hand it over; PostgreSQL text cannot hold one ("invalid byte sequence for
 * encoding UTF8: 0x00", and jsonb refuses `\u0000`). Such a key failed its whole page, and every
 * run after at that page: the pipeline was stuck for good. The row is quarantined instead
 * (`LB_SOURCE_KEY_NUL`), under its key with each NUL written `\u0000` (the same on every run, so
 * the worklist counts its times seen), and the rest of the page commits. A SQLite ledger stores
 * such a key as it is, and the row is read as any other.
 *
 * What else the ledger stores from the source holds no raw NUL: checkpoints (with their cursor
 * values and keys) are JSON text, where a NUL is the escape `\u0000`; every value a mapping reads
 * (the license `number`, the predecessor it names) is refused holding a control character before
 * any transform (mappings/input-guard.ts), and the row quarantined; `valid_to` is an ISO date
 * (catalog/license-schema.ts); `source_order` comes from export files, and XML holds no NUL.
 */
import { showValue } from '../catalog/personal.js';
import type { CommitPageInput, QuarantineCandidate, QuarantineReason } from './types-versions.js';

export const CODE_KEY_NUL = 'LB_SOURCE_KEY_NUL';

const NUL = '\u0000';

/** `text` with each NUL written as the six characters `\u0000`. */
export function shownNul(text: string): string {
  return text.replaceAll(NUL, '\\u0000');
}

function nulReason(key: string, keyName: string | undefined): QuarantineReason {
  // As a reason shows a value: an ID or mobile number in the key masked, cut to 64 characters.
  const shown = showValue('sourceKey', shownNul(key)) ?? '';
  const where = keyName ? `key column \`${keyName}\`` : 'the key';
  return {
    code: CODE_KEY_NUL,
    ...(keyName ? { column: keyName } : {}),
    message: `ledger: ${where} holds a NUL character (U+0000) in this row (key ${shown}), which a PostgreSQL ledger cannot store; the row is kept apart under that key, NUL shown as \\u0000, until the business system removes the NUL`,
  };
}

/**
 * Moves the candidates whose key holds a NUL to `quarantined` (`LB_SOURCE_KEY_NUL`; the key as it
 * is, `keepNulKeysOut` writes it out) and returns the others. A run does it before the page's
 * predecessors are resolved: a renewal read in the page after the license it continues was linked
 * to that license, which the commit then kept apart, and was stored continuing a license the
 * ledger never held.
 */
export function setNulKeysApart<C extends { sourceKey: string }>(
  candidates: C[],
  quarantined: QuarantineCandidate[],
  keyName: string | undefined,
): C[] {
  if (!candidates.some(held)) return candidates;
  for (const c of candidates) {
    if (held(c)) quarantined.push({ sourceKey: c.sourceKey, reasons: [nulReason(c.sourceKey, keyName)] });
  }
  return candidates.filter((c) => !held(c));
}

/**
 * The page as a PostgreSQL ledger can store it: a candidate whose key holds a NUL becomes a
 * quarantined row, and a quarantined row's key has its NULs written `\u0000`. The same page when
 * no key holds one.
 */
export function keepNulKeysOut(input: CommitPageInput): CommitPageInput {
  if (!input.candidates.some(held) && !input.quarantined.some(held)) return input;
  const quarantined = [...input.quarantined];
  const candidates = setNulKeysApart(input.candidates, quarantined, input.keyName);
  return {
    ...input,
    candidates,
    quarantined: quarantined.map((q) =>
      held(q)
        ? {
            sourceKey: shownNul(q.sourceKey),
            reasons: q.reasons.some((r) => r.code === CODE_KEY_NUL)
              ? q.reasons
              : [nulReason(q.sourceKey, input.keyName), ...q.reasons],
          }
        : q,
    ),
  };
}

function held(c: { sourceKey: string }): boolean {
  return c.sourceKey.includes(NUL);
}
