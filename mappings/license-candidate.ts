/**
 * A row's version candidate as the license mapper hands it to the ledger: the license built once,
 * a fresh deep copy for each version it is stored as, its content hash computed when first read.
 */
import { contentHash } from '../catalog/canonical.js';
import type { HolderContact } from '../catalog/holder-contact.js';
import type { IdentifierBuilder } from '../catalog/identifier.js';
import type { License, LicenseStatus, Lineage } from '../catalog/license.js';
import type { PredecessorRef, SuccessorOperation } from './successor.js';

/** Same shape as the ledger's `VersionCandidate` (mappings may not import ledger). */
export interface LicenseCandidate {
  /** Stable license id: the identifier without version and check char. */
  licenseId: string;
  sourceKey: string;
  /** Hex SM3 of the canonical license without its identifier. */
  contentHash: string;
  status: LicenseStatus;
  lineage: Lineage;
  /** The license for the version the ledger assigns; a fresh object on every call. */
  build(version: number): License;
  /** The license this one continues, as the mapping names it; the pipeline resolves it. */
  predecessor?: PredecessorRef;
  /** The operation of the license's first version when it continues another. @defaultValue issue */
  operation?: SuccessorOperation;
  /** Names the identifier of the license this one continues: `build` carries it from now on. */
  continues?(previousIdentifier: string): void;
  /** The holder's contact for reminders, never part of the license; `null`: the row gave none; absent: the mapping has no contact rules. */
  contact?: HolderContact | null;
}

/** Deep copy of a mapped value: plain data by hand (most of it), anything else as structuredClone does. */
function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i]);
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyValue((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * A frozen object of primitive members, which nothing can change: shared, not copied. The type and
 * issuer of every license of a pipeline are such; copied, they were new objects in every version,
 * whose canonical texts the ledger, keeping them by object (ledger/canonical-value.ts), wrote anew.
 */
function unchangeable(value: object): boolean {
  if (!Object.isFrozen(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const member of Object.values(value)) if (member !== null && typeof member === 'object') return false;
  return true;
}

/**
 * A row's version candidate. A class, not an object literal with a getter: V8 builds literals
 * with accessors slowly, and every valid row makes one.
 */
export class Candidate implements LicenseCandidate {
  private hash: string | undefined;
  predecessor?: PredecessorRef;
  operation?: SuccessorOperation;
  contact?: HolderContact | null;

  constructor(
    readonly licenseId: string,
    readonly sourceKey: string,
    readonly status: LicenseStatus,
    readonly lineage: Lineage,
    private readonly license: License,
    private readonly ids: IdentifierBuilder,
    private readonly serial: string,
  ) {}

  // Computed when first read (the ledger reads it at commit): JCS + SM3 is the costliest step of
  // a row, and a preview or a mapping test never needs it. Same value either way.
  get contentHash(): string {
    this.hash ??= contentHash(this.license);
    return this.hash;
  }

  continues(previousIdentifier: string): void {
    this.license.previousIdentifier = previousIdentifier;
    this.hash = undefined;
  }

  /**
   * The license for a version: a fresh deep copy on every call (but `unchangeable` members),
   * identifier first. Members copied one by one into the new object: a rest copy without the
   * identifier, then a spread of its deep copy, made three objects of every license the commit stores.
   */
  build(version: number): License {
    // Version 1's identifier is the license's own (assemble), not made again.
    const identifier = version === 1 ? this.license.identifier : this.ids.identifier(this.serial, version);
    const out: Record<string, unknown> = { identifier };
    const license = this.license as unknown as Record<string, unknown>;
    for (const key of Object.keys(license)) {
      if (key === 'identifier') continue;
      const value = license[key];
      out[key] =
        value !== null && typeof value === 'object' && unchangeable(value) ? value : copyValue(value);
    }
    return out as unknown as License;
  }

  /** Version 1's identifier is the one the license was validated with (assemble). */
  first(): { identifier: string; number: string } {
    return { identifier: this.license.identifier, number: this.license.number };
  }
}

/**
 * The identifier and number `build(1)` gives, without a copy of the license where the candidate is
 * this mapper's: a page's predecessor resolution reads them of every candidate of a page that
 * holds a renewal (pipelines/lifecycle/predecessors.ts).
 */
export function firstIdentity(c: Pick<LicenseCandidate, 'build'>): { identifier: string; number: string } {
  if (c instanceof Candidate) return c.first();
  const { identifier, number } = c.build(1);
  return { identifier, number };
}
