/**
 * A platform whose identifier columns are numeric (a holder's ID number in a BIGINT or
 * NUMBER(18), a license number or an issuer's code of digits only) answers them as bare JSON
 * integers: `"czztdm": 370211199001011234`. Read with `JSON.parse`, every such number past 2^53
 * was rounded to the nearest double (`370211199001011200`): the license read back held another
 * person's ID number, a `platform-content-mismatch` at every check for licenses the platform held
 * exactly, and one adopted from the platform was adopted with the wrong holder. Lookup and listing
 * now keep the digits of the identifier fields as the platform wrote them.
 */
import { describe, expect, it } from 'vitest';
import { toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { deliveryItem, HOLDER_ID, sampleLicense } from './license-fixture.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';

const answering = restTargetAnswering();

// Each past 2^53: JSON.parse reads them as other numbers.
const LICENSE_NUMBER = '3702112024000123457';
const ISSUER_CODE = '123702110000123457';

/** License `n` whose number and issuer code are digits only, held by HOLDER_ID (18 digits). */
const digitsLicense = (n: number): License => {
  const license = sampleLicense(n, { number: LICENSE_NUMBER });
  return { ...license, issuer: { ...license.issuer, code: ISSUER_CODE } };
};

/** What the platform holds for item `n`, as JSON text whose identifier fields are bare integers. */
function entryText(n: number, wrap: (entry: unknown) => unknown): string {
  const item = deliveryItem(n, { license: digitsLicense(n) });
  const entry = { key: item.key, licenseId: item.licenseId, version: 1, license: toBatchItem(item).license };
  let text = JSON.stringify(wrap(entry));
  for (const [field, digits] of [
    ['czztdm', HOLDER_ID],
    ['zzbh', LICENSE_NUMBER],
    ['zzbfjgdm', ISSUER_CODE],
  ]) {
    const quoted = `"${field}":"${digits}"`;
    expect(text).toContain(quoted);
    text = text.replace(quoted, `"${field}":${digits}`);
  }
  return text;
}

describe('identifiers a platform answers as long JSON integers', () => {
  it('are read back with every digit by lookup: the content is the one delivered', async () => {
    const { target } = await answering(() => ({
      status: 200,
      body: entryText(1, (current) => ({ code: 0, current })),
    }));
    const [record] = await target.lookup(['lic-000001']);
    expect(record?.unreadable).toBeUndefined();
    expect(record?.license?.holder.id).toBe(HOLDER_ID);
    expect(record?.license?.number).toBe(LICENSE_NUMBER);
    expect(record?.license?.issuer.code).toBe(ISSUER_CODE);
    expect(record?.contentHash).toBe(contentHash(digitsLicense(1)));
  });

  it('and by a listing', async () => {
    const { target } = await answering((_n, req) => {
      const after = new URL(req.url, 'http://platform').searchParams.get('after');
      return after === ''
        ? { status: 200, body: entryText(2, (entry) => ({ code: 0, items: [entry] })) }
        : { status: 200, body: { code: 0, items: [] } };
    });
    const [record] = await listAll(target);
    expect(record?.license?.holder.id).toBe(HOLDER_ID);
    expect(record?.contentHash).toBe(contentHash(digitsLicense(2)));
  });
});
