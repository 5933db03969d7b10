/**
 * A source key as the ledger reads it back. A key holding a lone surrogate (half of a UTF-16 pair
 * without the other: an NVARCHAR key column cut mid-character) cannot be stored as UTF-8 text:
 * PostgreSQL stores each such half as U+FFFD (a bound string is sent as UTF-8), SQLite its three
 * WTF-8 bytes, which read back as three U+FFFD. A run finds the license by its id and the key it
 * binds, so runs agree with the ledger; a check comparing the source's keys with the keys the
 * ledger reads back took the license for one whose row is gone and the row for one without a
 * license (`deleted-at-source` and `missed` on every check), and a repair under `deletedAtSource:
 * revoke` revoked a license whose row is there. Such a key is also compared in both stored forms.
 * (Other keys are as the ledger reads them; a NUL is handled where it is quarantined, nul-text.ts.)
 */

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_ALL = new RegExp(LONE.source, 'g');

/** The forms the ledger may read `key` back in, `key` itself first; only itself for most keys. */
export function storedForms(key: string): string[] {
  if (!LONE.test(key)) return [key];
  return [key, key.replace(LONE_ALL, '\ufffd'), key.replace(LONE_ALL, '\ufffd\ufffd\ufffd')];
}

/** Whether `keys` (as the ledger read them back) hold `key` (as the source gives it), in any stored form. */
export function holdsKey(keys: ReadonlySet<string>, key: string): boolean {
  if (keys.has(key)) return true;
  return storedForms(key).some((k) => keys.has(k));
}

/**
 * Source keys, and the stored forms of those holding a lone surrogate: `has` answers for a key as
 * the ledger read it back.
 */
export class SourceKeySet {
  readonly #keys = new Set<string>();
  readonly #forms = new Set<string>();

  add(key: string): void {
    this.#keys.add(key);
    const forms = storedForms(key);
    for (let i = 1; i < forms.length; i++) this.#forms.add(forms[i] as string);
  }

  /** Whether a source key is `ledgerKey` as the ledger reads it back. */
  has(ledgerKey: string): boolean {
    return this.#keys.has(ledgerKey) || (this.#forms.size > 0 && this.#forms.has(ledgerKey));
  }

  get size(): number {
    return this.#keys.size;
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.#keys[Symbol.iterator]();
  }
}
