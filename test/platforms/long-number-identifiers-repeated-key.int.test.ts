/**
 * An answer that gives a key twice in one object (a platform serialising a bean field and its
 * getter both, a gateway adding its own `code`) is JSON as `JSON.parse` reads it, the last one
 * kept, and the exact reader of long integers (lossless-json) refuses it: such an answer was read
 * with `JSON.parse` alone, every long integer rounded. A holder's ID number the platform answers as
 * an integer then came back as another person's (`370211199001011234` as `370211199001011260`),
 * a content mismatch at every check, and a 64-bit platform id was lost. It is read keeping their
 * digits too, a repeated key keeping its last value as before.
 */
import { describe, expect, it } from 'vitest';
import { toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import { contentHash } from '../../catalog/canonical.js';
import { deliveryItem, HOLDER_ID } from './license-fixture.js';
import { restTargetAnswering } from './lookup-stand-in.js';

const answering = restTargetAnswering();
const PLATFORM_ID = '1234567890123456789';

describe('a lookup answer with a key given twice and long integer identifiers', () => {
  it('reads the identifiers with every digit and the repeated key as its last value', async () => {
    const item = deliveryItem(1);
    const entry = {
      key: item.key,
      licenseId: item.licenseId,
      version: 1,
      platformId: PLATFORM_ID,
      license: toBatchItem(item).license,
    };
    const text = JSON.stringify({ code: 0, current: entry })
      .replace(`"czztdm":"${HOLDER_ID}"`, `"czztdm":${HOLDER_ID}`)
      .replace(`"platformId":"${PLATFORM_ID}"`, `"platformId":${PLATFORM_ID}`)
      .replace('{"code":0,', '{"code":503,"code":0,');
    expect(text).toContain(`"czztdm":${HOLDER_ID}`);
    const { target } = await answering(() => ({ status: 200, body: text }));
    const [record] = await target.lookup([item.licenseId]);
    expect(record?.license?.holder.id).toBe(HOLDER_ID);
    expect(record?.platformId).toBe(PLATFORM_ID);
    expect(record?.contentHash).toBe(contentHash(item.license));
  });
});
