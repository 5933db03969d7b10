/**
 * Discovery for XML exports: an export declares no schema, so column types, candidate keys and
 * cursors are inferred from the values seen. It only suggests; the engineer writes the stream.
 */
import type { ColumnInfo } from '../source.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+)$/;
const DATETIME = /^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(\d{4}-\d{1,2}-\d{1,2}|\d{4}\/\d{1,2}\/\d{1,2})$/;
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

  add(value: string | null): void {
    if (value === null) return;
    this.seen += 1;
    if (this.unique) {
      if (this.distinct.has(value)) this.unique = false;
      else this.distinct.add(value);
    }
    this.kind = widen(this.kind, kindOf(value));
  }
}

function kindOf(v: string): Kind {
  if (INTEGER.test(v)) return 'integer';
  if (DECIMAL.test(v)) return 'decimal';
  if (DATETIME.test(v)) return 'datetime';
  if (DATE.test(v)) return 'date';
  return 'text';
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
  #records = 0;

  constructor(declared: readonly string[] = []) {
    for (const f of declared) this.#columns.set(f, new ColumnStats());
  }

  add(values: Readonly<Record<string, string | null>>): void {
    this.#records += 1;
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

  finish(): { columns: ColumnInfo[]; candidateKeys: string[]; candidateCursors: string[] } {
    const entries = [...this.#columns.entries()];
    // Every element of an export may be left out of a record: XML declares nothing, so every
    // column is reported nullable; the type is what the values seen have in common.
    const columns = entries.map(([name, s]) => ({ name, type: s.kind ?? 'text', nullable: true }));
    const keys = entries
      .filter(([, s]) => s.unique && s.seen === this.#records && s.seen > 0)
      .map(([name]) => name);
    const cursors = entries
      .filter(
        ([name, s]) =>
          s.kind === 'datetime' || s.kind === 'date' || (TIME_NAME.test(name) && s.kind !== 'text'),
      )
      .map(([name]) => name);
    return {
      columns,
      candidateKeys: [...keys.filter((n) => KEY_NAME.test(n)), ...keys.filter((n) => !KEY_NAME.test(n))],
      candidateCursors: [
        ...cursors.filter((n) => UPDATE_NAME.test(n)),
        ...cursors.filter((n) => !UPDATE_NAME.test(n)),
      ],
    };
  }
}
