/**
 * `POST /licenses/batch` and the lookup endpoints of the simulated province platform, as pure
 * functions of the store: the HTTP server only moves bytes.
 */
import { randomUUID } from 'node:crypto';
import { parseBatchJson } from './batch-json.js';
import { type CheckedFile, checkFile } from './file-check.js';
import { checkItem } from './item-check.js';
import type { FormPart } from './multipart.js';
import type { ReviewDesk } from './review-desk.js';
import type { StateStore, StoredLicense } from './state-store.js';

/** Largest batch the platform takes in one request. */
export const MAX_BATCH_ITEMS = 1000;

export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

export interface BatchResult {
  key: string;
  status: 'accepted' | 'rejected' | 'submitted';
  platformId: string | null;
  errors: string[];
  /** Present and `true` when the key had already been accepted before this item. */
  duplicate?: boolean;
}

export function errorReply(status: number, reason: string, message: string): JsonReply {
  return { status, body: { code: status, reason, message } };
}

/** License files of a batch: where items carry them, the parts of a multipart upload, where kept. */
export interface BatchFiles {
  /** Item field carrying the file. */
  property: string;
  /** The parts of a multipart upload (absent for a JSON body). */
  parts?: ReadonlyMap<string, FormPart>;
  /** Accepted files' bytes by delivery key. */
  kept: Map<string, Buffer>;
}

/** Applies one batch to the store. Returns whether anything changed, so the caller knows to save. */
export function handleBatch(
  store: StateStore,
  raw: Buffer,
  clock: () => number,
  review?: ReviewDesk,
  files?: BatchFiles,
): { reply: JsonReply; changed: boolean } {
  let doc: unknown;
  try {
    doc = parseBatchJson(raw);
  } catch {
    return { reply: errorReply(400, 'bad-json', 'request body is not JSON'), changed: false };
  }
  const items = (doc as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length === 0) {
    return {
      reply: errorReply(400, 'bad-request', 'expected { "items": [ … ] } with at least one item'),
      changed: false,
    };
  }
  if (items.length > MAX_BATCH_ITEMS) {
    return {
      reply: errorReply(413, 'batch-too-large', `at most ${MAX_BATCH_ITEMS} items per request`),
      changed: false,
    };
  }

  const { stats } = store;
  const results: BatchResult[] = [];
  items.forEach((rawItem, index) => {
    stats.received += 1;
    const item = checkItem(rawItem, index);
    const file: CheckedFile =
      files && typeof rawItem === 'object' && rawItem !== null
        ? checkFile(rawItem as Record<string, unknown>, files.property, files.parts)
        : { errors: [] };
    item.errors.push(...file.errors);
    if (item.errors.length > 0 || !item.parsed) {
      stats.rejected += 1;
      results.push({ key: item.key, status: 'rejected', platformId: null, errors: item.errors });
      return;
    }
    if (review?.knows(item.key)) {
      // A resend of a key under review: counted as a duplicate, answered from the review.
      stats.duplicates += 1;
      const answer = review.status(store, item.key);
      results.push({
        key: item.key,
        status: answer?.status ?? 'submitted',
        platformId: answer?.platformId ?? null,
        errors: answer?.status === 'rejected' ? answer.errors : [],
        duplicate: true,
      });
      return;
    }
    // A duplicate is answered with its key's platform id alone: read in SQL, not by parsing the
    // whole stored entry (~1 KB) for it.
    const known = store.acceptedAs(item.key);
    if (known) {
      // Idempotent on key: the same answer as the first time, nothing stored twice.
      stats.duplicates += 1;
      results.push({
        key: item.key,
        status: 'accepted',
        platformId: known.platformId,
        errors: [],
        duplicate: true,
      });
      return;
    }
    const { licenseId, version, target } = item.parsed;
    // Read once for the platform id and for the out-of-order check in `accept`.
    const held = store.holding(licenseId) ?? null;
    const entry: StoredLicense = {
      key: item.key,
      licenseId,
      version,
      target,
      operation: item.operation,
      // A license not held yet may have a version under review: its id is the license's already.
      platformId:
        (held ? undefined : review?.platformIdOf(licenseId)) ?? store.platformIdFor(licenseId, held),
      license: item.license,
      signature: item.signature,
      acceptedAt: new Date(clock()).toISOString(),
      ...(file.info ? { file: file.info } : {}),
    };
    // Kept for a key the platform now holds (or reviews): a duplicate never replaces it.
    if (file.bytes && files) {
      files.kept.set(item.key, file.bytes);
      stats.files = (stats.files ?? 0) + 1;
    }
    if (review) {
      results.push({ key: item.key, status: 'submitted', platformId: entry.platformId, errors: [] });
      review.submit(entry);
      return;
    }
    if (store.accept(entry, held)) stats.outOfOrder += 1;
    stats.accepted += 1;
    results.push({ key: item.key, status: 'accepted', platformId: entry.platformId, errors: [] });
  });

  return { reply: { status: 200, body: { code: 0, batchId: randomUUID(), results } }, changed: true };
}

/** `GET /licenses?identifier=…&number=…&licenseId=…` — every stored entry matching all given filters. */
export function handleList(store: StateStore, query: URLSearchParams): JsonReply {
  const identifier = query.get('identifier');
  const number = query.get('number');
  const licenseId = query.get('licenseId');
  const items = store.find({ identifier, number, licenseId });
  return { status: 200, body: { code: 0, items } };
}

/** `GET /licenses/:licenseId` — the platform's current view of one license and its version history. */
export function handleGet(store: StateStore, licenseId: string): JsonReply {
  const holding = store.holding(licenseId);
  const versions = store.versionsOf(licenseId);
  const current = versions.find((v) => v.key === holding?.latestKey);
  if (!holding || !current) return errorReply(404, 'not-found', 'no license with that id');
  return {
    status: 200,
    body: {
      code: 0,
      licenseId,
      platformId: holding.platformId,
      latestVersion: holding.latestVersion,
      current,
      versions: versions.map((v) => ({
        version: v.version,
        key: v.key,
        operation: v.operation,
        acceptedAt: v.acceptedAt,
      })),
    },
  };
}

/**
 * `GET /licenses/current?after=<licenseId>&limit=N` — the platform's current view of every license
 * (its highest accepted version), in license-id order, a page at a time: the listing
 * reconciliation walks to find licenses the platform holds that the ledger does not know.
 */
export function handleCurrent(store: StateStore, query: URLSearchParams): JsonReply {
  const after = query.get('after') ?? '';
  const limit = Math.max(1, Math.min(Number(query.get('limit') ?? 500) || 500, MAX_BATCH_ITEMS));
  const items = store.currentAfter(after, limit);
  return { status: 200, body: { code: 0, items } };
}

/** `POST /licenses/status` with `{ "keys": [ … ] }`: the final state of each key the platform knows. */
export function handleStatus(store: StateStore, raw: Buffer, review?: ReviewDesk): JsonReply {
  let keys: unknown;
  try {
    keys = (JSON.parse(raw.toString('utf8')) as { keys?: unknown }).keys;
  } catch {
    return errorReply(400, 'bad-json', 'request body is not JSON');
  }
  if (!Array.isArray(keys)) return errorReply(400, 'bad-request', 'expected { "keys": [ … ] }');
  const results = keys.map((k) => {
    const key = String(k);
    const reviewed = review?.status(store, key);
    if (reviewed) {
      return {
        key,
        status: reviewed.status,
        platformId: reviewed.platformId,
        errors: reviewed.status === 'rejected' ? reviewed.errors : [],
      };
    }
    const e = store.get(key);
    return e
      ? { key, status: 'accepted', platformId: e.platformId, errors: [] }
      : { key, status: 'unknown', platformId: null, errors: [] };
  });
  return { status: 200, body: { code: 0, results } };
}
