// Sealing a batch prepares every document's references and Signature.xml with their SM3s worked
// out side by side (sm3-lanes.ts): each document comes out byte for byte as it does alone.
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  prepareSignature,
  prepareSignatures,
  SIGNATURE_XML,
} from '../../adapters/documents/ofd/ofd-signature.js';
import { foodLicense, foodTemplate } from './fixtures.js';

describe('prepareSignatures', () => {
  it('gives each document of a batch the parts, digest and file it has when prepared alone', () => {
    const signedAt = new Date('2026-06-01T02:03:04Z');
    const items = Array.from({ length: 9 }, (_, i) => {
      const license = foodLicense(i + 1);
      const info = docInfoFor(license, signedAt);
      return { doc: buildOfd(layoutFace(foodTemplate, license), info), info, stamp: foodTemplate.seal };
    });
    const batch = prepareSignatures(items, signedAt);
    expect(batch).toHaveLength(items.length);
    items.forEach(({ doc, info, stamp }, i) => {
      const alone = prepareSignature(doc, info, stamp, signedAt);
      const together = batch[i];
      // Names in order, then bytes with Buffer.compare: toEqual over the parts' bytes, one by one,
      // was most of this file's CPU.
      expect([...(together?.parts.keys() ?? [])]).toEqual([...alone.parts.keys()]);
      const differing = [...alone.parts].filter(([name, bytes]) => {
        const other = together?.parts.get(name);
        return other === undefined || Buffer.compare(other, bytes) !== 0;
      });
      expect(differing.map(([name]) => name)).toEqual([]);
      expect(together?.dataHash).toEqual(alone.dataHash);
      expect(together?.dataHash).toEqual(
        hash('sm3', together?.parts.get(SIGNATURE_XML) as Uint8Array, 'buffer'),
      );
      const ses = Buffer.from(`ses ${i}`);
      expect(finishSignature(together as typeof alone, ses).equals(finishSignature(alone, ses))).toBe(true);
    });
  });
});
