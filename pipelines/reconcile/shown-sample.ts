/**
 * The sample a report shows (`reconcile.sample` differences): each with the license number and its
 * holder as the ledger holds them, masked where the holder is a natural person, and the source key
 * masked where it has the shape of personal data.
 */
import { isLegalPersonHolder, maskNumberShapes } from '../../catalog/personal.js';
import { maskId, maskName } from '../../core/mask.js';
import type { Ledger } from '../../ledger/ledger.js';
import { readableLicense } from './stored-text.js';
import type { Difference, ShownDifference } from './types.js';

/** The first differences with the license number and masked holder, read from the ledger. */
export async function showSample(
  ledger: Ledger,
  differences: readonly Difference[],
  limit: number,
): Promise<ShownDifference[]> {
  const first = differences.slice(0, limit);
  const ids = first.flatMap((d) => (d.ledger ? [d.ledger.versionId] : []));
  // A text that does not read shows no number or holder; the repair names its license.
  const versions = new Map((await ledger.getVersions(ids)).map((v) => [v.versionId, readableLicense(v)]));
  return first.map((d) => {
    const p = d.ledger ? versions.get(d.ledger.versionId) : undefined;
    return {
      ...d,
      // A business system keyed by the holder's ID or mobile number: the key is personal data too.
      sourceKey: d.sourceKey === null ? null : maskNumberShapes(d.sourceKey),
      number: p?.number ?? null,
      // A legal person's name and credit code are public; a natural person's are masked, as are
      // those of a holder whose id has a resident ID number's shape, whatever its type.
      holderName: p
        ? isLegalPersonHolder(p.holder.idType, p.holder.id)
          ? p.holder.name
          : maskName(p.holder.name)
        : null,
      holderId: p
        ? isLegalPersonHolder(p.holder.idType, p.holder.id)
          ? p.holder.id
          : maskId(p.holder.id)
        : null,
    };
  });
}
