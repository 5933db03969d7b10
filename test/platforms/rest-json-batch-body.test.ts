// The REST/JSON batch body and its items' identities come from one serialisation of each item
// (batchBody in adapters/platforms/rest-json/rest-json-target.ts): the body is the batch's
// JSON.stringify, byte for byte, and each identity the one the Idempotency-Key has always hashed,
// the delivery key and the SHA-256 of the item's own JSON.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { batchBody, itemIdentity } from '../../adapters/platforms/rest-json/batch-body.js';
import { type BatchRequestItem, toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import { licenseFilesOptionOf } from '../../adapters/platforms/rest-json/file-options.js';
import { type FilePart, withFile } from '../../adapters/platforms/rest-json/file-wire.js';
import { deliveryItem, sampleLicense } from './license-fixture.js';

const identity = (item: BatchRequestItem) =>
  `${item.key}\u0000${createHash('sha256').update(JSON.stringify(item), 'utf8').digest('hex')}`;

function items(): BatchRequestItem[] {
  const bytes = Buffer.from('PK\u0003\u0004 "quoted" \\ \u2028');
  const file = { name: 'lic-3.ofd', sm3: 'ef'.repeat(32), size: bytes.length, bytes };
  const parts: FilePart[] = [];
  return [
    toBatchItem(deliveryItem(1)),
    // Text JSON escapes: quotes, backslashes, control and line-separator characters, astral ones.
    toBatchItem(
      deliveryItem(2, {
        license: sampleLicense(2, { surface: { address: '"黄岛"\\\n\t\u0001\u2028 𠀋', note: '' } }),
      }),
    ),
    withFile(toBatchItem(deliveryItem(3)), file, licenseFilesOptionOf({ send: 'base64' }), parts),
    withFile(toBatchItem(deliveryItem(4)), file, licenseFilesOptionOf({ send: 'multipart' }), parts),
  ];
}

describe('REST/JSON batch body', () => {
  it('is the batch JSON.stringify gives, byte for byte', () => {
    const batch = items();
    expect(batchBody(batch).json).toBe(JSON.stringify({ items: batch }));
    expect(batchBody(batch.slice(0, 1)).json).toBe(JSON.stringify({ items: batch.slice(0, 1) }));
    expect(batchBody([]).json).toBe(JSON.stringify({ items: [] }));
  });

  it('gives each item the identity it had: its key and the SHA-256 of its JSON', () => {
    const batch = items();
    const { identities } = batchBody(batch);
    expect(identities).toEqual(batch.map(identity));
    expect(batch.map(itemIdentity)).toEqual(batch.map(identity));
    expect(new Set(identities).size).toBe(batch.length);
  });
});
