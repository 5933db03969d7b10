/**
 * A source whose database compares all text without case and offers no binary comparison licbridge
 * can rely on: a DM instance initialised `CASE_SENSITIVE = N` (fixed when the instance is made,
 * DM's own advice for systems moved from MySQL or SQL Server) takes `'a1'` for `'A1'` in every
 * comparison, GROUP BY included. The look-up of a page's keys' other rows (key-cursors.ts) then
 * made `A1` and `a1` one key held twice, and license A1 gave way to a1's newer row as if it were
 * an older row of its own: never read, on every run and every full check. Newer DM builds have a
 * `BINARY` prefix and a session `CASE_SENSITIVE`, but not the builds in service, and neither can be
 * checked without a server; so such a stream is refused before it reads, naming what to do.
 *
 * Only a stream that asks needs it: one with a cursor whose key is text (or of a query, whose type
 * is unknown) not known to be on one row. A key-only stream reads a tie at a page's end whole, each
 * spelling as its own key (tied-rows.ts); a primary key or unique one cannot hold both spellings
 * in such an instance; a number or a date has no case.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SqlDialect } from './dialect.js';
import { keyKnownUnique } from './key-cursors.js';
import type { ResolvedStream } from './keyset.js';
import { shownName } from './resolve-stream.js';

// DM's and Oracle's character types; TEXT and CLOB keys too (DM takes TEXT as a key).
const TEXT_KEY = /CHAR|TEXT|CLOB|STRING/i;

/** Whether the stream groups its keys' rows in the database, with a key that has a case. */
export function groupsTextKeys(s: ResolvedStream): boolean {
  return s.cursor !== undefined && !keyKnownUnique(s) && (s.key.type === '' || TEXT_KEY.test(s.key.type));
}

/** Refuses a source's streams that would group text keys where its database cannot tell their case. */
export class CaseBlindKeys {
  private readonly source: string;
  private readonly dialect: SqlDialect;
  private readonly ask: () => Promise<boolean>;
  private answer: Promise<boolean> | undefined;

  /** `ask`: whether the database compares text without case (`SqlDialect.caseBlindText`). */
  constructor(source: string, dialect: SqlDialect, ask: () => Promise<boolean>) {
    this.source = source;
    this.dialect = dialect;
    this.ask = ask;
  }

  /** `s`, or the refusal of it: asks the database once (again after a failed asking). */
  async check(s: ResolvedStream): Promise<ResolvedStream> {
    if (!this.dialect.caseBlindText || !groupsTextKeys(s)) return s;
    if (this.answer === undefined) this.answer = this.ask();
    const answer = this.answer;
    answer.catch(() => {
      if (this.answer === answer) this.answer = undefined;
    });
    if (await answer) throw caseBlindKeyProblem(this.source, this.dialect, s);
    return s;
  }
}

/** The refusal of such a stream on such a source. Names the source, stream and key column only. */
export function caseBlindKeyProblem(source: string, dialect: SqlDialect, s: ResolvedStream): LicbridgeError {
  const [table, key] = [shownName(s.table), shownName(s.key.name)];
  const what = s.query ? 'query stream' : 'stream';
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: the ${dialect.kind} instance compares text without case (initialised CASE_SENSITIVE = N), so key column \`${key}\` of ${what} \`${table}\` cannot tell \`A1\` from \`a1\` when a page asks for the other rows of its keys, and one license would give way to the other's newer row: if each key is on one row, make \`${key}\` the table's primary key or unique, or set \`keyUnique: true\` on the stream; otherwise read the stream without \`cursor\` (a key-only stream reads each spelling as its own key)`,
    { retryable: false, context: { source, table, keyColumn: key } },
  );
}
