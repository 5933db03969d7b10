/**
 * Asynchronous review, as platforms that "accept first and judge later" do it: a new item is
 * answered `submitted`, and its final state (accepted, or rejected with reasons) appears only in
 * later answers of `POST /licenses/status`. Pending reviews live in memory: a simulator restarted
 * mid-review forgets them, and the sender's next status request finds the key unknown and resends.
 */
import type { StateStore, StoredLicense } from './state-store.js';

export interface ReviewOptions {
  /** Status requests answered `submitted` before the review decides. @defaultValue 1 */
  polls?: number;
  /** The review's verdict on the platform fields: reasons to reject, or null to accept. @defaultValue accept all */
  reject?: (license: Record<string, unknown>) => string[] | null;
}

export type ReviewAnswer =
  | { status: 'submitted'; platformId: string }
  | { status: 'accepted'; platformId: string }
  | { status: 'rejected'; platformId: null; errors: string[] };

interface Pending {
  entry: StoredLicense;
  pollsLeft: number;
}

export class ReviewDesk {
  private readonly polls: number;
  private readonly reject: NonNullable<ReviewOptions['reject']>;
  private readonly pending = new Map<string, Pending>();
  private readonly rejected = new Map<string, string[]>();
  /**
   * The id given to each license a version of which was submitted: a later version submitted
   * before the platform holds the license (the first still under review) gets the same one, as
   * a platform keeps one id per license across its versions.
   */
  private readonly ids = new Map<string, string>();
  /** How to put back what the request being applied changed, newest last (`mark`, `undo`). */
  private journal: (() => void)[] = [];

  constructor(options: ReviewOptions) {
    this.polls = Math.max(0, options.polls ?? 1);
    this.reject = options.reject ?? (() => null);
  }

  /** Starts a request's changes: `undo` puts back those made since. */
  mark(): void {
    this.journal = [];
  }

  /** Puts back what changed since `mark`: the request was not stored, so neither is its review. */
  undo(): void {
    for (const step of this.journal.splice(0).reverse()) step();
  }

  /** Whether the key is under review or was rejected by it (a resend then is a duplicate). */
  knows(key: string): boolean {
    return this.pending.has(key) || this.rejected.has(key);
  }

  /** The id given to a license when a version of it was submitted for review, if one was. */
  platformIdOf(licenseId: string): string | undefined {
    return this.ids.get(licenseId);
  }

  /** Takes a new item for review; the platform id is given at once, as real platforms do. */
  submit(entry: StoredLicense): ReviewAnswer {
    this.pending.set(entry.key, { entry, pollsLeft: this.polls });
    this.journal.push(() => this.pending.delete(entry.key));
    if (!this.ids.has(entry.licenseId)) {
      this.ids.set(entry.licenseId, entry.platformId);
      this.journal.push(() => this.ids.delete(entry.licenseId));
    }
    return { status: 'submitted', platformId: entry.platformId };
  }

  /** The answer for a key under or after review; undefined when the desk never saw it. */
  status(store: StateStore, key: string): ReviewAnswer | undefined {
    const reasons = this.rejected.get(key);
    if (reasons) return { status: 'rejected', platformId: null, errors: reasons };
    const p = this.pending.get(key);
    if (!p) return undefined;
    if (p.pollsLeft > 0) {
      p.pollsLeft -= 1;
      this.journal.push(() => {
        p.pollsLeft += 1;
      });
      return { status: 'submitted', platformId: p.entry.platformId };
    }
    this.pending.delete(key);
    this.journal.push(() => this.pending.set(key, p));
    const verdict = this.reject(p.entry.license);
    if (verdict && verdict.length > 0) {
      this.rejected.set(key, verdict);
      this.journal.push(() => this.rejected.delete(key));
      store.stats.rejected += 1;
      return { status: 'rejected', platformId: null, errors: verdict };
    }
    if (store.accept(p.entry)) store.stats.outOfOrder += 1;
    store.stats.accepted += 1;
    return { status: 'accepted', platformId: p.entry.platformId };
  }
}
