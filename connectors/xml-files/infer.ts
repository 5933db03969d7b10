/**
 * Discovery for XML exports: an export declares no schema, so column types, candidate keys and
 * cursors are inferred from the values seen. It only suggests; the engineer writes the stream.
 */
import type { ColumnInfo } from '../source.js';
import { dateKind } from './order.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+)$/;
// Names used for "last changed" in English and in the pinyin abbreviations of legacy Chinese
// schemas (GXSJ 更新时间, XGSJ 修改时间, …SJ 时间, …RQ 日期); "updated" ones go first.
const TIME_NAME = /date|time|stamp|(^|_)(ts|mtime)$|_(at|on)$|(sj|rq)$/i;
const UPDATE_NAME = /upd|modif|chang|last|^gx|^xg|^cz|_gx|_xg|_cz/i;
const KEY_NAME = /^(id|pk|key|bh|xh)$|_id$|id$|bh$/i;

type Kind = 'integer' | 'decimal' | 'datetime' | 'date' | 'text';

class ColumnStats {
  seen = 0;
  kind: Kind | null = null;
  distinct = new Set<string>();
  unique = true;
  /** Unique within each file: a key an export tool writes again in a later file when it changes. */
  uniqueInFiles = true;
  #inFile = new Set<string>();

  add(value: string | null): void {
    if (value === null) return;
    this.seen += 1;
    if (this.unique) {
      if (this.distinct.has(value)) this.unique = false;
      else this.distinct.add(value);
    }
    if (this.uniqueInFiles) {
      if (this.#inFile.has(value)) this.uniqueInFiles = false;
      else this.#inFile.add(value);
    }
    this.kind = widen(this.kind, kindOf(value));
  }

  nextFile(): void {
    this.#inFile = new Set();
  }
}

// Digits with a leading zero (`0012`, a license number) or more than 15 of them (an 18-digit
// resident ID) are text, as a database types such a column varchar: read as a number they lose
// their zeros, or their last digits past 2^53.
const DIGIT_STRING = /^[+-]?(0\d|\d{16})/;

function kindOf(v: string): Kind {
  const numeric = INTEGER.test(v) ? 'integer' : DECIMAL.test(v) ? 'decimal' : null;
  if (numeric) return DIGIT_STRING.test(v) ? 'text' : numeric;
  // Every form the cursor order compares by instant (order.ts): `2026/11/5 9:05` and `2026年11月5日`
  // are dates too, and a field written so was not suggested as a cursor — the note then said to
  // rely on file names for a field that orders the records.
  return dateKind(v) ?? 'text';
}

function widen(a: Kind | null, b: Kind): Kind {
  if (a === null || a === b) return b;
  if ((a === 'integer' && b === 'decimal') || (a === 'decimal' && b === 'integer')) return 'decimal';
  if ((a === 'date' && b === 'datetime') || (a === 'datetime' && b === 'date')) return 'datetime';
  return 'text';
}

/** Collects values record by record; `finish` gives the columns and suggestions. */
export class RecordProfile {
  readonly #columns = new Map<string, ColumnStats>();
  readonly #lists = new Set<string>();
  readonly #configured: ReadonlySet<string>;
  #records = 0;

  /** `lists`: the source's, elements read as lists already (not proposed again). */
  constructor(declared: readonly string[] = [], lists: readonly string[] = []) {
    for (const f of declared) this.#columns.set(f, new ColumnStats());
    this.#configured = new Set(lists);
  }

  /** `lists`: the elements this record holds more than once (records.ts). */
  add(values: Readonly<Record<string, string | null>>, lists: readonly string[] = []): void {
    this.#records += 1;
    for (const l of lists) this.#lists.add(l);
    for (const [field, value] of Object.entries(values)) {
      let stats = this.#columns.get(field);
      if (!stats) {
        stats = new ColumnStats();
        this.#columns.set(field, stats);
      }
      stats.add(value);
    }
  }

  get records(): number {
    return this.#records;
  }

  /** The records that follow come from the next file. */
  nextFile(): void {
    for (const s of this.#columns.values()) s.nextFile();
  }

  finish(): { columns: ColumnInfo[]; candidateKeys: string[]; candidateCursors: string[]; notes: string[] } {
    const entries = [...this.#columns.entries()];
    // Every element of an export may be left out of a record: XML declares nothing, so every
    // column is reported nullable; the type is what the values seen have in common.
    const columns = entries.map(([name, s]) => ({ name, type: s.kind ?? 'text', nullable: true }));
    const everywhere = entries.filter(([, s]) => s.seen === this.#records && s.seen > 0);
    const unique = everywhere.filter(([, s]) => s.unique).map(([name]) => name);
    // A key that repeats across files but never within one: a licence exported again when it
    // changed. Normal for exports; the latest record of each key is the one that counts.
    const repeating = everywhere.filter(([, s]) => !s.unique && s.uniqueInFiles).map(([name]) => name);
    const keys = [...unique, ...repeating];
    const cursors = entries
      .filter(
        ([name, s]) =>
          s.kind === 'datetime' || s.kind === 'date' || (TIME_NAME.test(name) && s.kind !== 'text'),
      )
      .map(([name]) => name);
    const candidateKeys = [...keys.filter((n) => KEY_NAME.test(n)), ...keys.filter((n) => !KEY_NAME.test(n))];
    const candidateCursors = [
      ...cursors.filter((n) => UPDATE_NAME.test(n)),
      ...cursors.filter((n) => !UPDATE_NAME.test(n)),
    ];
    const notes: string[] = [];
    const key = candidateKeys[0];
    if (key !== undefined && repeating.includes(key)) {
      const cursor = candidateCursors[0];
      notes.push(
        `${key} repeats across files but never within one: normal for exports (a record is exported again when it changes). licbridge keeps the latest record of each key; ${
          cursor === undefined
            ? 'with no date-like field to order them, the latest is the one in the file whose name sorts last — name export files in the order they are made'
            : `set \`cursor: ${cursor}\` so the newest record wins wherever it sits (a late file, a re-read folder)`
        }`,
      );
    }
    const lists = this.#proposedLists();
    if (lists.length > 0) {
      notes.push(
        `${lists.join(', ')} ${lists.length === 1 ? 'is' : 'are'} repeated within a record: a record holding ${lists.length === 1 ? 'it' : 'one'} once reads a single value, not a list of one; set \`lists: [${lists.join(', ')}]\` on the source so that every record reads a list`,
      );
    }
    return { columns, candidateKeys, candidateCursors, notes };
  }

  /**
   * Elements seen repeated and not read as lists already, outermost only: with `JYXM` a list, a
   * child repeated inside it (`JYXM.XM`) is read per occurrence of it.
   */
  #proposedLists(): string[] {
    const seen = [...this.#lists].filter((l) => !this.#configured.has(l));
    return seen.filter((l) => ![...seen, ...this.#configured].some((o) => l.startsWith(`${o}.`))).sort();
  }
}
