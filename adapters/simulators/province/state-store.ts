/**
 * What the simulated province platform holds: one entry per delivery key, the latest version per
 * license, and the counters `/_sim/stats` reports. Optionally persisted to a JSON file so a
 * simulator restarted between two demo runs still recognises keys it has already accepted.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';

export interface SimulatorStats {
  /** Items received, every one counted once: `received = accepted + rejected + duplicates`. */
  received: number;
  /** Items accepted for the first time (distinct keys). */
  accepted: number;
  rejected: number;
  /** Items whose key had already been accepted. */
  duplicates: number;
  /** New keys carrying a lower version of a license than one already accepted. */
  outOfOrder: number;
  /** HTTP requests to the platform API (the `/_sim/*` control endpoints are not counted). */
  requests: number;
  /** Requests answered with 503 or 429, or held open, by fault injection. */
  faultsInjected: number;
  /** Requests answered 429 by fault injection. */
  throttled?: number;
  /** Batches answered with the first answer to their `Idempotency-Key` (sent before with another body). */
  idempotentReplays?: number;
}

export interface StoredLicense {
  key: string;
  licenseId: string;
  version: number;
  target: string;
  /** Operation code as received (`01` issue, `09` change, …). */
  operation: string;
  platformId: string;
  /** The platform fields exactly as received (`zzbs`, `zzbh`, `czztdm`, …). */
  license: Record<string, unknown>;
  signature: Record<string, unknown>;
  /** ISO time of first acceptance, from the simulator's clock. */
  acceptedAt: string;
}

export interface LicenseHolding {
  licenseId: string;
  platformId: string;
  /** Highest version accepted; the platform's current view of the license. */
  latestVersion: number;
  latestKey: string;
}

interface StateFile {
  format: 1;
  nextPlatformSeq: number;
  stats: SimulatorStats;
  entries: StoredLicense[];
}

export function emptyStats(): SimulatorStats {
  return {
    received: 0,
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    outOfOrder: 0,
    requests: 0,
    faultsInjected: 0,
  };
}

export class StateStore {
  readonly stats: SimulatorStats = emptyStats();
  private readonly entries = new Map<string, StoredLicense>();
  private readonly holdings = new Map<string, LicenseHolding>();
  private nextPlatformSeq = 1;
  /** Saves run one after another so an older snapshot can never be renamed over a newer one. */
  private saveChain: Promise<void> = Promise.resolve();

  constructor(private readonly file?: string) {}

  async load(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new LicbridgeError(
        ErrorCodes.INTERNAL,
        `province simulator: cannot read state file ${this.file}`,
        {
          cause: e,
        },
      );
    }
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch (e) {
      // Starting empty would silently forget accepted keys and hide duplicates; refuse instead.
      throw new LicbridgeError(
        ErrorCodes.INTERNAL,
        `province simulator: state file ${this.file} is not JSON`,
        {
          cause: e,
        },
      );
    }
    if (state.format !== 1 || !Array.isArray(state.entries)) {
      throw new LicbridgeError(
        ErrorCodes.INTERNAL,
        `province simulator: state file ${this.file} has an unknown format`,
      );
    }
    Object.assign(this.stats, emptyStats(), state.stats);
    this.nextPlatformSeq = state.nextPlatformSeq;
    for (const entry of state.entries) this.remember(entry);
  }

  /** The accepted entry for a key, if any. */
  get(key: string): StoredLicense | undefined {
    return this.entries.get(key);
  }

  holding(licenseId: string): LicenseHolding | undefined {
    return this.holdings.get(licenseId);
  }

  /** The platform keeps one id per license across its versions. */
  platformIdFor(licenseId: string): string {
    const known = this.holdings.get(licenseId)?.platformId;
    if (known) return known;
    const id = `PV${String(this.nextPlatformSeq).padStart(12, '0')}`;
    this.nextPlatformSeq += 1;
    return id;
  }

  /** Stores a newly accepted entry; returns whether it arrived after a higher version (out of order). */
  accept(entry: StoredLicense): boolean {
    const before = this.holdings.get(entry.licenseId);
    const outOfOrder = before !== undefined && entry.version < before.latestVersion;
    this.remember(entry);
    return outOfOrder;
  }

  all(): StoredLicense[] {
    return [...this.entries.values()].map((e) => structuredClone(e));
  }

  versionsOf(licenseId: string): StoredLicense[] {
    return this.all()
      .filter((e) => e.licenseId === licenseId)
      .sort((a, b) => a.version - b.version);
  }

  private remember(entry: StoredLicense): void {
    this.entries.set(entry.key, entry);
    const before = this.holdings.get(entry.licenseId);
    // A late, lower version is kept as an entry but never replaces the current view of the license.
    if (!before || entry.version >= before.latestVersion) {
      this.holdings.set(entry.licenseId, {
        licenseId: entry.licenseId,
        platformId: entry.platformId,
        latestVersion: entry.version,
        latestKey: entry.key,
      });
    }
  }

  /** Writes the state atomically (tmp file, fsync, rename); resolves once this state is on disk. */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const run = this.saveChain.then(() => this.writeSnapshot(file));
    // Keep the chain alive after a failed save; the failure still reaches this caller.
    this.saveChain = run.catch(() => undefined);
    return run;
  }

  private async writeSnapshot(file: string): Promise<void> {
    const state: StateFile = {
      format: 1,
      nextPlatformSeq: this.nextPlatformSeq,
      stats: { ...this.stats },
      entries: [...this.entries.values()],
    };
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    // Owner-only: the entries are licenses as delivered, holder names and ids included.
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(state));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Resolves when every save started so far has finished. */
  flushed(): Promise<void> {
    return this.saveChain;
  }
}
