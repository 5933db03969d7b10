/**
 * License files for a target that takes them (`licenseFiles` of a rest-json target): each item of
 * a delivery gets its version's sealed OFD file from the store, checked against the SM3 and size
 * the ledger recorded when the file was issued. What cannot be sent as the ledger says — a file
 * larger than the target takes, missing from the store, or changed there — becomes a dead letter
 * naming the file, the version and the target: a person sees it in `licbridge dlq list`, and
 * nothing is sent without the file it should carry.
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { DeliveryLedger, Ledger, StoredDelivery } from '../../ledger/ledger.js';
import { FILE_STATUS, type StoredLicenseFile } from '../../ledger/license-files.js';

export interface PreparedFiles {
  /** Items to send, those with a file carrying it. */
  items: DeliveryItem[];
  /** Dead letters for items that must not be sent: their reasons name the file. */
  refused: DeliveryOutcome[];
}

/**
 * The file store's root folder the config names (`licenseFiles.store`, relative to the config
 * file's folder), absolute; undefined when it names none.
 */
export function configuredFileStore(
  config: Readonly<Pick<Config, 'file' | 'licenseFiles'>>,
): string | undefined {
  const store = config.licenseFiles?.store;
  return store === undefined ? undefined : resolve(dirname(config.file), store);
}

/**
 * The versions among `versionIds` that wait for no license file: those the ledger lists a file
 * for, and those owed none — a version that is not valid (FILE_STATUS: a revocation, a
 * cancellation, an expiry) is never issued one, so a target that waits for files must not hold it.
 */
export async function versionsWithFile(
  ledger: Pick<Ledger, 'licenseFiles' | 'getVersions'>,
  versionIds: readonly number[],
): Promise<Set<number>> {
  const ready = new Set((await ledger.licenseFiles.ofVersions(versionIds)).map((f) => f.versionId));
  const rest = versionIds.filter((id) => !ready.has(id));
  if (rest.length > 0)
    for (const v of await ledger.getVersions(rest)) if (v.status !== FILE_STATUS) ready.add(v.versionId);
  return ready;
}

/**
 * Attaches each item's license file, when the ledger lists one. `storeRoot` is the file store's
 * root folder (`licenseFiles.store`); a target that takes files with no store configured is a
 * configuration error for every version, so it is thrown, not retried.
 */
export async function attachLicenseFiles(
  ledger: Pick<Ledger, 'licenseFiles'>,
  target: TargetAdapter,
  items: readonly (DeliveryItem & { versionId: number })[],
  storeRoot: string | undefined,
): Promise<PreparedFiles> {
  const rule = target.licenseFiles;
  if (!rule || items.length === 0) return { items: [...items], refused: [] };
  const files = new Map(
    (await ledger.licenseFiles.ofVersions(items.map((i) => i.versionId))).map((f) => [f.versionId, f]),
  );
  if (files.size > 0 && storeRoot === undefined) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `deliver: target ${target.name} takes license files but no file store is configured: set \`licenseFiles.store\``,
      { retryable: false, context: { target: target.name } },
    );
  }
  const store = new LicenseFileStore(storeRoot ?? '');
  // Checked side by side (a batch's files are independent), each read in pieces and let go; the
  // target reads each again for the one request that carries it (DeliveryFile.read), so what is
  // held at once is a request's files, not the delivery's. The order of the items is kept.
  const prepared = await Promise.all(
    items.map(async (item): Promise<DeliveryItem | DeliveryOutcome> => {
      const file = files.get(item.versionId);
      if (!file) return item;
      const refusal = (reason: string): DeliveryOutcome => ({
        key: item.key,
        state: 'failed',
        retryable: false,
        reasons: [
          `licbridge: license file ${file.path} of ${item.licenseId} version ${item.version}: ${reason}`,
        ],
      });
      // Checked on the ledger's size first: a file over the limit is not even read.
      if (file.size > rule.maxBytes) {
        return refusal(
          `${file.size} bytes, over target ${target.name}'s limit of ${rule.maxBytes} (licenseFiles.maxBytes); not sent`,
        );
      }
      const problem = await storedProblem(store, file, { item, target: target.name });
      if (problem !== undefined) return refusal(problem);
      const name = `${item.licenseId}-${String(item.version).padStart(3, '0')}.ofd`;
      const read = () => readAgain(store, file, item);
      return { ...item, file: { name, sm3: file.sm3, size: file.size, read } };
    }),
  );
  const out: PreparedFiles = { items: [], refused: [] };
  for (const p of prepared) {
    if ('state' in p) out.refused.push(p);
    else out.items.push(p);
  }
  return out;
}

/**
 * Why the stored file is not what the ledger recorded, or undefined when it is (read in pieces).
 * A read failing with an error of the file system's own (EIO, EACCES) is thrown, retryable, naming
 * the file, `whose` license and version and the target: thrown as it came, it named none of them,
 * and the deliver stage's job failed with the file system's words alone.
 */
async function storedProblem(
  store: LicenseFileStore,
  file: StoredLicenseFile,
  whose: { item: Pick<DeliveryItem, 'licenseId' | 'version'>; target: string },
): Promise<string | undefined> {
  let found: { sm3: string; size: number };
  try {
    found = await store.digest(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `missing from the file store ${store.root}; not sent`;
    // A path the ledger recorded outside the store (LicenseFileStore.read): never read, never sent.
    if (e instanceof LicbridgeError && e.code === ErrorCodes.LEDGER) return `${e.message}; not sent`;
    if (e instanceof LicbridgeError) throw e;
    const { item, target } = whose;
    const errno = typeof code === 'string' ? code : undefined;
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `deliver: license file ${file.path} of ${item.licenseId} version ${item.version} could not be read for target ${target}${errno ? ` (${errno})` : ''}; not sent, tried again`,
      // `unsent`: nothing of the delivery left this host, no attempt of its licenses (deliver.ts).
      {
        retryable: true,
        context: { target, path: file.path, unsent: true, ...(errno ? { errno } : {}) },
        cause: e,
      },
    );
  }
  return changed(file, found.sm3, found.size);
}

/** Why stored bytes of SM3 `sm3` and `size` bytes are not the file the ledger recorded, if they are not. */
function changed(file: StoredLicenseFile, sm3: string, size: number): string | undefined {
  if (sm3 === file.sm3 && size === file.size) return undefined;
  return `the stored file is not the one the ledger recorded (SM3 ${sm3}, ${size} bytes in the store; ${file.sm3}, ${file.size} bytes in the ledger): changed or replaced after issuing; not sent`;
}

/**
 * The file's bytes for the request that carries it, checked again: a file changed or gone since
 * `attachLicenseFiles` checked it fails that request, retryable, and the next try's check
 * dead-letters the version with its reason. Nothing but what the ledger recorded is sent.
 */
async function readAgain(
  store: LicenseFileStore,
  file: StoredLicenseFile,
  item: Pick<DeliveryItem, 'licenseId' | 'version'>,
): Promise<Buffer> {
  const fail = (reason: string, cause?: unknown) =>
    new LicbridgeError(
      ErrorCodes.LEDGER,
      `deliver: license file ${file.path} of ${item.licenseId} version ${item.version}: ${reason}, since it was checked; tried again`,
      // `unsent`: failed before the request left this host, no attempt of its licenses (deliver.ts).
      {
        retryable: true,
        context: { path: file.path, unsent: true },
        ...(cause === undefined ? {} : { cause }),
      },
    );
  let bytes: Buffer;
  try {
    bytes = await store.read(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw fail(`missing from the file store ${store.root}`, e);
    throw e;
  }
  const problem = changed(file, createHash('sm3').update(bytes).digest('hex'), bytes.length);
  if (problem !== undefined) throw fail(problem.replace(/; not sent$/, ''));
  return bytes;
}

/**
 * Writes the dead letters of `refused` (attachLicenseFiles), returning the keys written. A refusal
 * is this call's verdict on its read of the rows (`read`), not the platform's word, and the reads
 * of the files may outlast the call's lease: another job may have claimed a delivery since and be
 * sending it (its store holding the file), or have sent it and failed after the platform took it.
 * So each is written only while its row is as read, state and `revision`, and no sender but `owner`
 * holds a live lease on it (ledger/delivery-outcomes.ts); what the other job's send writes stays
 * the ledger's word, and a failed one is asked about on its next try.
 */
export async function recordRefusals(
  ledger: Pick<DeliveryLedger, 'recordDeliveryOutcomes'>,
  refused: readonly DeliveryOutcome[],
  read: readonly StoredDelivery[],
  owner: string,
): Promise<string[]> {
  const rows = new Map(read.map((r) => [r.key, r]));
  return ledger.recordDeliveryOutcomes(
    refused.flatMap((o) => {
      const row = rows.get(o.key);
      if (!row) return [];
      return [
        {
          key: o.key,
          state: 'dead' as const,
          ...(o.reasons === undefined ? {} : { reasons: o.reasons }),
          from: row.state,
          revision: row.revision,
          unleased: { owner },
        },
      ];
    }),
  );
}
