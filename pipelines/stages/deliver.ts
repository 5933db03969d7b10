import type { DeliveryItem, TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';

export interface DeliverResult {
  accepted: number;
  dead: number;
  skipped: number;
}

/**
 * Delivers the given versions to one target. Each delivery is keyed by (license id, version,
 * target); a key already accepted or dead-lettered is never sent again, so a retried job only
 * resends what did not land. Rejections by the platform are permanent: they become dead letters
 * with the platform's reasons. A failure that may pass is thrown for the queue to retry.
 */
export async function deliverVersions(
  target: TargetAdapter,
  sealId: string,
  ledger: Ledger,
  versionIds: readonly number[],
): Promise<DeliverResult> {
  const rows = await ledger.ensureDeliveries(versionIds, target.name);
  const open = rows.filter((r) => r.state !== 'accepted' && r.state !== 'dead');
  const result: DeliverResult = { accepted: 0, dead: 0, skipped: rows.length - open.length };
  if (open.length === 0) return result;

  const ids = open.map((r) => r.versionId);
  const [versions, signatures] = await Promise.all([ledger.getVersions(ids), ledger.getSignatures(ids)]);
  const byVersion = new Map(versions.map((v) => [v.versionId, v]));
  const sigByVersion = new Map(signatures.filter((s) => s.sealId === sealId).map((s) => [s.versionId, s]));
  const items: DeliveryItem[] = [];
  for (const row of open) {
    const v = byVersion.get(row.versionId);
    const sig = sigByVersion.get(row.versionId);
    if (!v || !sig) {
      throw new LicbridgeError(
        ErrorCodes.INTERNAL,
        `deliver: version ${row.versionId} has no ${v ? 'signature' : 'ledger entry'} yet`,
        { retryable: true, context: { target: target.name } },
      );
    }
    items.push({
      key: row.key,
      licenseId: v.licenseId,
      version: v.version,
      operation: v.operation,
      license: v.payload,
      signature: {
        algorithm: sig.algorithm,
        value: Buffer.from(sig.signature).toString('base64'),
        digest: sig.digest,
        sealId: sig.sealId,
      },
    });
  }

  const outcomes = await target.deliver(items);
  const final = outcomes.filter((o) => o.state === 'accepted' || o.state === 'rejected');
  await ledger.recordDeliveryOutcomes(
    final.map((o) => ({
      key: o.key,
      state: o.state === 'accepted' ? 'accepted' : 'dead',
      ...(o.platformId === undefined ? {} : { platformId: o.platformId }),
      ...(o.reasons === undefined ? {} : { reasons: o.reasons }),
      ...(o.receipt === undefined ? {} : { receipt: o.receipt }),
    })),
  );
  result.accepted = final.filter((o) => o.state === 'accepted').length;
  result.dead = final.length - result.accepted;

  const failed = outcomes.filter((o) => o.state === 'failed' || o.state === 'submitted');
  if (failed.length > 0) {
    await ledger.recordDeliveryAttempt(
      failed.map((o) => o.key),
      (failed[0]?.reasons ?? ['not accepted yet']).join('; '),
    );
    throw new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `deliver: ${failed.length} of ${items.length} deliveries to ${target.name} did not land yet`,
      { retryable: true, context: { target: target.name } },
    );
  }
  return result;
}
