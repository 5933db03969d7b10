/**
 * The version ids the entries of the chain record, as ascending, disjoint ranges, within a window
 * of ids. Ids of one transaction follow each other, so the ranges grow with the gaps between the
 * ids recorded, not with the versions; but gaps do pile up (every rolled-back page leaves one in a
 * PostgreSQL sequence, and 20 years of them are kept), and held whole they grew without bound.
 *
 * So at most `cap` ranges are kept: when the ranges grow past it, the upper half is dropped and
 * the window's end (`limit`) set below them, and ids past it are no longer noted. Nothing is
 * taken as recorded that was not: the ids past the window are checked by another walk of the chain
 * with a window starting after it (audit-versions.ts), so memory stays bounded and verify's answer
 * is the same, at the cost of a walk per window.
 */

/** Most ranges held by default: some 100 bytes each, a few MB in all. */
export const ID_RANGES_CAP = 50_000;

export class IdRanges {
  private merged: [number, number][] = [];
  private loose: [number, number][] = [];
  /** The last id of the window: ids past it are not noted (checked by the next window). */
  private end: number;

  constructor(
    /** The first id of the window. */
    readonly floor = Number.MIN_SAFE_INTEGER,
    private readonly cap = ID_RANGES_CAP,
  ) {
    if (!Number.isSafeInteger(cap) || cap < 2) {
      throw new TypeError(`audit: expected \`cap\` to be an integer of at least 2, got \`${String(cap)}\``);
    }
    this.end = Number.MAX_SAFE_INTEGER;
  }

  /** The last id of the window: lowered as the ranges reach the cap. */
  get limit(): number {
    return this.end;
  }

  /** Ranges held, merged or not yet: at most twice the cap. */
  get held(): number {
    return this.merged.length + this.loose.length;
  }

  add(from: number, to: number): void {
    const a = Math.max(from, this.floor);
    const b = Math.min(to, this.end);
    if (a > b) return;
    this.loose.push([a, b]);
    if (this.loose.length >= this.cap) this.merge();
  }

  has(id: number): boolean {
    if (this.loose.length > 0) this.merge();
    let lo = 0;
    let hi = this.merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = this.merged[mid] as [number, number];
      if (id < from) hi = mid - 1;
      else if (id > to) lo = mid + 1;
      else return true;
    }
    return false;
  }

  private merge(): void {
    const all = this.merged.concat(this.loose).sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const [from, to] of all) {
      if (from > this.end) break;
      const last = out.at(-1);
      if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else out.push([from, Math.min(to, this.end)]);
    }
    if (out.length > this.cap) {
      // The window ends before the first range dropped: the ids from there on are the next window's.
      const keep = Math.floor(this.cap / 2);
      this.end = (out[keep] as [number, number])[0] - 1;
      out.length = keep;
    }
    this.merged = out;
    this.loose = [];
  }
}
