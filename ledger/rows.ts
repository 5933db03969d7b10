/**
 * Table rows as the drivers return them, and their conversion to the contract's shapes. Both
 * backends come out the same: numbers for ids and counts, `Date`s, `Uint8Array`s, parsed JSON.
 */
import type { Knex } from 'knex';
import type { License, LicenseOperation, LicenseStatus, Lineage } from '../catalog/license.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { readContentHash } from './content-hash-column.js';
import { parseJson, toBytes, toDate, toDateOrNull, toInt } from './db.js';
import { receiptColumn } from './delivery-receipts.js';
import { revisionOf } from './delivery-revision.js';
import { readDigest } from './digest-column.js';
import { readIdentifier } from './identifier-column.js';
import type {
  DeliveryRowState,
  StoredDelivery,
  StoredRun,
  StoredSignature,
  StoredVersion,
} from './ledger.js';
import { readLineage } from './lineage-column.js';
import { readPayload } from './payload-column.js';
import { runAbsentElements } from './run-absent-elements.js';
import { readSignatureColumns, type StoredSignatureColumns } from './signature-profiles.js';
import { contextOf, joinPayload } from './version-context.js';

export interface RunRow {
  run_id: string;
  pipeline: string;
  mode: string;
  state: string;
  read_count: unknown;
  created_count: unknown;
  unchanged_count: unknown;
  quarantined_count: unknown;
  started_at: unknown;
  finished_at: unknown;
  error: string | null;
  extracted_at?: unknown;
  owner?: string | null;
  heartbeat_at?: unknown;
  /** The ledger's time when the row was read (db-clock.ts), on reads that select it. */
  read_at?: unknown;
  /** Migration 031: export files read with elements left out of every record, and their names. */
  absent_files?: unknown;
  absent_elements?: string | null;
}

export function toRun(r: RunRow): StoredRun {
  return {
    runId: r.run_id,
    pipeline: r.pipeline,
    mode: r.mode as StoredRun['mode'],
    state: r.state as StoredRun['state'],
    read: toInt(r.read_count),
    created: toInt(r.created_count),
    unchanged: toInt(r.unchanged_count),
    quarantined: toInt(r.quarantined_count),
    startedAt: toDate(r.started_at),
    finishedAt: toDateOrNull(r.finished_at),
    error: r.error,
    extractedAt: toDateOrNull(r.extracted_at),
    owner: r.owner ?? null,
    heartbeatAt: toDateOrNull(r.heartbeat_at),
    ...(r.read_at === undefined || r.read_at === null ? {} : { readAt: toDate(r.read_at) }),
    ...absentElementsOf(r),
  };
}

function absentElementsOf(r: RunRow): Pick<StoredRun, 'absentElements'> {
  const absent = runAbsentElements(toInt(r.absent_files ?? 0), r.absent_elements ?? null);
  return absent ? { absentElements: absent } : {};
}

export interface VersionRow {
  version_id: unknown;
  license_id: string;
  version: unknown;
  pipeline: string;
  identifier: string;
  content_hash: string;
  /** Migration 055: the hash's bytes, `content_hash` '' (content-hash-column.ts). */
  content_hash_bytes?: unknown;
  status: string;
  operation: string;
  payload: string;
  lineage: string;
  run_id: string;
  created_at: unknown;
  /** Migration 026: the row's context, and its texts when read with withVersionContext. */
  context_id?: unknown;
  context_lineage?: string | null;
  context_payload?: string | null;
}

/**
 * The version of a row. Its lineage is read when it is first asked for: the sign and deliver
 * stages, which read every version of a run back, never ask (reading it was ~30 µs a license of
 * the main thread in bench/pipeline.ts), and the rest read it as before. Its payload too is parsed
 * when first asked for, once: a version read for its ids, hash or state holds its text, not the
 * license's objects, and the sign stage parses each one only as it signs it. Both are own
 * enumerable properties, so spreading, cloning or serialising a version reads them too. The
 * version keeps the texts, not its row, and a text that does not read fails where it is first
 * asked for with the code of a ledger failure.
 */
export function toVersion(r: VersionRow): StoredVersion {
  const versionId = toInt(r.version_id);
  const version = toInt(r.version);
  const identifier = readIdentifier(r.identifier, r.license_id, version);
  const context = contextOf(r);
  // The texts only, not the row: its payload text stays with the row.
  const texts: VersionTexts = {
    versionId,
    identifier,
    payloadText: r.payload,
    contextPayload: context?.payload,
    lineageText: r.lineage,
    pipeline: r.pipeline,
    runId: r.run_id,
    shared: context?.lineage,
    payload: undefined,
    payloadSet: false,
    lineage: undefined,
  };
  const v = {
    versionId,
    licenseId: r.license_id,
    version,
    identifier,
    contentHash: readContentHash(r.content_hash, r.content_hash_bytes),
    status: r.status as LicenseStatus,
    operation: r.operation as LicenseOperation,
  };
  Object.defineProperty(v, TEXTS, { value: texts });
  Object.defineProperties(v, LAZY_MEMBERS);
  // After the accessors, where the literal had it: a version's members keep their order.
  const out = v as typeof v & { createdAt?: Date };
  out.createdAt = toDate(r.created_at);
  return out as unknown as StoredVersion;
}

/** What a version's payload and lineage are read from when first asked for (toVersion). */
interface VersionTexts {
  versionId: number;
  identifier: string;
  payloadText: string;
  contextPayload: string | undefined;
  lineageText: string;
  pipeline: string;
  runId: string;
  shared: string | undefined;
  payload: License | undefined;
  /** The payload was given (`version.payload = …`), not read: its text no longer tells it. */
  payloadSet: boolean;
  lineage: Lineage | undefined;
}

const TEXTS = Symbol('version texts');
type WithTexts = { [TEXTS]: VersionTexts };

/**
 * A version's payload and lineage, as own enumerable accessors of the same functions for every
 * version. Written in its object literal, each version had getters and setters of its own, and
 * V8 keeps an object literal with accessors in dictionary mode: ~2 µs to make a version and
 * slower reads of every member after (bench/pipeline.ts reads each version in the sign and deliver
 * stages). Defined after, with shared functions, a version keeps a fast shape.
 */
const LAZY_MEMBERS: PropertyDescriptorMap = {
  payload: {
    enumerable: true,
    configurable: true,
    get(this: WithTexts): License {
      const t = this[TEXTS];
      t.payload ??= payloadOf(t.versionId, t.payloadText, t.identifier, t.contextPayload);
      return t.payload;
    },
    set(this: WithTexts, value: License) {
      this[TEXTS].payload = value;
      this[TEXTS].payloadSet = true;
    },
  },
  lineage: {
    enumerable: true,
    configurable: true,
    get(this: WithTexts): Lineage {
      const t = this[TEXTS];
      t.lineage ??= lineageOf(t.versionId, t.lineageText, t.pipeline, t.runId, t.shared);
      return t.lineage;
    },
    set(this: WithTexts, value: Lineage) {
      this[TEXTS].lineage = value;
    },
  },
};

/**
 * The text `v`'s license reads from (its row's payload text with its context's members put back,
 * ledger/version-context.ts) and the identifier reading puts back into a text without one; undefined
 * for a version not read from its row by toVersion (a copy, one made by hand) or whose payload was
 * given since. For ledger/stored-signed-form.ts, which signs the text without parsing it.
 */
export function payloadTextOf(v: StoredVersion): { text: string; identifier: string } | undefined {
  const t = (v as Partial<WithTexts>)[TEXTS];
  if (t === undefined || t.payloadSet) return undefined;
  return { text: joinPayload(t.payloadText, t.contextPayload), identifier: t.identifier };
}

/** A payload text that does not read fails as a lineage text does (lineageOf). */
function payloadOf(
  versionId: number,
  text: string,
  identifier: string,
  context: string | undefined,
): License {
  try {
    return readPayload(text, identifier, context);
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: the payload of version ${versionId} does not read: ${e instanceof Error ? e.name : 'error'}`,
      { cause: e },
    );
  }
}

/**
 * A lineage text that does not read fails as the ledger read did when it was read with its row,
 * with the code of a ledger failure, wherever it is first asked for.
 */
function lineageOf(
  versionId: number,
  text: string,
  pipeline: string,
  runId: string,
  shared: string | undefined,
): Lineage {
  try {
    return readLineage(text, pipeline, runId, shared);
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: the lineage of version ${versionId} does not read: ${e instanceof Error ? e.name : 'error'}`,
      { cause: e },
    );
  }
}

export interface SignatureRow extends StoredSignatureColumns {
  version_id: unknown;
  seal_id: string;
  digest: string;
  digest_bytes?: unknown;
  signature: unknown;
  certificate_serial: string | null;
  certificate_issuer: string | null;
  signed_at: unknown;
}

export function toSignature(r: SignatureRow): StoredSignature {
  const { contentHash, algorithm, distId, signerKind } = readSignatureColumns(r);
  return {
    versionId: toInt(r.version_id),
    contentHash,
    algorithm,
    digest: readDigest(r.digest, r.digest_bytes),
    signature: toBytes(r.signature),
    distId,
    sealId: r.seal_id,
    signerKind,
    certificateSerial: r.certificate_serial,
    certificateIssuer: r.certificate_issuer,
    signedAt: toDate(r.signed_at),
  };
}

/**
 * The columns a `DeliveryRow` is read with: the delivery (`d`) joined to its version (`v`), which
 * holds the license id and version number (the deliveries table keeps only the version id, and
 * the key is computed from them, migrations 017 and 018).
 */
const DELIVERY_COLUMNS = [
  'v.license_id',
  'v.version',
  'd.version_id',
  'd.target',
  'd.state',
  'd.attempts',
  'd.platform_id',
  'd.reasons',
  'd.last_error',
  'd.updated_at',
] as const;

/**
 * {@link DELIVERY_COLUMNS}, the receipt (kept once per text since migration 036) and the revision
 * (migration 041; a row written before holds none, ledger/delivery-revision.ts).
 */
export function deliveryColumns(k: Knex): (string | Knex.Raw)[] {
  return [...DELIVERY_COLUMNS, receiptColumn(k), k.raw(`${revisionOf('d')} as revision`)];
}

export interface DeliveryRow {
  license_id: string;
  version: unknown;
  version_id: unknown;
  target: string;
  state: string;
  attempts: unknown;
  revision: unknown;
  platform_id: string | null;
  reasons: string;
  receipt: string | null;
  last_error: string | null;
  updated_at: unknown;
}

export function toDelivery(r: DeliveryRow): StoredDelivery {
  return {
    key: deliveryKey(r.license_id, toInt(r.version), r.target),
    licenseId: r.license_id,
    version: toInt(r.version),
    versionId: toInt(r.version_id),
    target: r.target,
    state: r.state as DeliveryRowState,
    attempts: toInt(r.attempts),
    revision: toInt(r.revision),
    platformId: r.platform_id,
    reasons: parseJson<string[]>(r.reasons),
    receipt: r.receipt === null ? null : parseJson<Record<string, unknown>>(r.receipt),
    lastError: r.last_error ?? null,
    updatedAt: toDate(r.updated_at),
  };
}

/** The delivery key is also the platform's idempotency key; its shape is part of the contract. */
export function deliveryKey(licenseId: string, version: number, target: string): string {
  return `${licenseId}:${version}:${target}`;
}
