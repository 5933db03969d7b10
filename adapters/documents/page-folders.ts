/**
 * Page folders: where the file store puts the files of a batch (`putMany`, a page of `sign files`),
 * `<type>/p-<run>-<NNNNNN>/<license id>.<NNN>.ofd` — a folder of its own per page and type, made
 * fresh. A page of 100 files then costs two folder flushes (the page's folder and its type's, which
 * holds the new folder's entry), where on 256 shelves shared by all licenses it cost some 83 (one
 * per shelf a file went to), and a small fresh folder makes creating its files cheap on ext4 (no
 * large htree to insert into, inodes taken near the new folder): docs/ofd.md, Cost.
 *
 * A version's file is no longer at a path its license id alone gives: a rerun after a run killed
 * between storing a page and recording it writes the version again into a page folder of its own,
 * and the killed run's file would stay, a sealed license no ledger row lists (as would the files
 * of every run since a ledger's backup, were it restored). So the store notes, when it looks for
 * leftovers before a run (`PageIndex.note`), which page folder holds a file of each name, and
 * removes a version's file there when asked to for a version the ledger lists no file for
 * (`LicenseFileStore.discard`, `discardFormer`): what a rerun overwrote while paths were a
 * license's own. Noted as numbers, not names (`PageIndex`), a store of millions of files costs
 * tens of megabytes for it, not hundreds.
 */

/** A page folder's name: `p-`, the run's 16 hex digits, `-`, the page's number (6 digits or more). */
export const PAGE_FOLDER = /^p-([0-9a-f]{16})-([0-9]{6,})$/;

/** The folder of page `page` of run `run` (16 hex digits). */
export function pageFolder(run: string, page: number): string {
  return `p-${run}-${String(page).padStart(6, '0')}`;
}

/** A version's file name in a page folder or on a shelf: `<license id>.<NNN>.ofd`. */
export function versionFileName(licenseId: string, version: number): string {
  return `${licenseId}.${String(version).padStart(3, '0')}.ofd`;
}

/** 53 bits of two FNV-1a hashes of `text`: a number a Map keys without a string per entry. */
function key53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/**
 * Which page folders hold a file of each name, as a walk of the store finds them (`note`). Keyed by
 * a hash of `<type>/<file name>`: two names of one hash only make `find` give a folder where the
 * other's file is, and a path made there from the asked version's own name, which holds no file of
 * another version (the store removes only what is at such a path).
 */
export class PageIndex {
  /** Page folders noted (relative, `<type>/<page folder>`), by number. */
  readonly #folders: string[] = [];
  /** Hash of `<type>/<file name>` → the folder, or folders, holding a file of that name. */
  readonly #byName = new Map<number, number | number[]>();

  /**
   * Notes the files (names) in `<type>/<name>` when it is a page folder; false when it is not.
   */
  note(type: string, name: string, files: readonly string[]): boolean {
    if (!PAGE_FOLDER.test(name)) return false;
    const folder = this.#folders.push(`${type}/${name}`) - 1;
    for (const file of files) {
      const k = key53(`${type}/${file}`);
      const seen = this.#byName.get(k);
      if (seen === undefined) this.#byName.set(k, folder);
      else if (typeof seen === 'number') this.#byName.set(k, [seen, folder]);
      else seen.push(folder);
    }
    return true;
  }

  /** Paths (relative) where a page folder noted may hold a version's file. */
  find(type: string, licenseId: string, version: number): string[] {
    const file = versionFileName(licenseId, version);
    const seen = this.#byName.get(key53(`${type}/${file}`));
    if (seen === undefined) return [];
    return (typeof seen === 'number' ? [seen] : seen).map((f) => `${this.#folders[f]}/${file}`);
  }
}
