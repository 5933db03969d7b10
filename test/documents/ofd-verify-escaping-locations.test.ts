// A location in an OFD file (ST_Loc: a reference's FileRef, a signature's BaseLoc, a SignedValue)
// names a part of the package. One whose `..` climbs above the package's root names none: it was
// resolved as if the climb stopped at the root (`/../../OFD.xml` read as `OFD.xml`), so a signature
// whose references escape the package verified here while a reader or verifier that resolves the
// path as written finds no such part, or looks outside the package for it. Such a location fails
// the file, naming it, however sound the signature over it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import { prepareSignature, SIGNATURE_XML, stampBox } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { useSealKit } from './sealed-license.js';
import { sealPrepared } from './sealed-with-page.js';

describe('locations that climb out of the package', () => {
  const fixture = useSealKit();

  /** A file sealed with its Signature.xml rewritten by `edit` before it is signed. */
  async function sealedWith(edit: (xml: string) => string): Promise<Buffer> {
    const license = foodLicense();
    const signedAt = new Date();
    const info = docInfoFor(license, signedAt);
    const doc = buildOfd(layoutFace(foodTemplate, license), info);
    return sealPrepared(fixture.kit, signedAt, (seal) => {
      const prepared = prepareSignature(
        doc,
        info,
        stampBox(foodTemplate.seal, seal.seal.info.picture),
        signedAt,
      );
      const xml = Buffer.from(edit((prepared.parts.get(SIGNATURE_XML) as Buffer).toString('utf8')), 'utf8');
      prepared.parts.set(SIGNATURE_XML, xml);
      prepared.dataHash = createHash('sm3').update(xml).digest();
      return prepared;
    });
  }

  it('verifies the file with its locations as written', async () => {
    expect(verifyOfd(await sealedWith((x) => x), fixture.kit.trust).ok).toBe(true);
  });

  it('fails a reference that climbs above the root, sound signature and all', async () => {
    const file = await sealedWith((x) => x.replace('FileRef="/OFD.xml"', 'FileRef="/../../OFD.xml"'));
    const result = verifyOfd(file, fixture.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toContain(
      'reference /../../OFD.xml: the location climbs out of the package',
    );
  });

  it('fails a SignedValue that climbs above the root', async () => {
    const file = await sealedWith((x) =>
      x.replace('<ofd:SignedValue>/Doc_0/', '<ofd:SignedValue>../../../../Doc_0/'),
    );
    const result = verifyOfd(file, fixture.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems.join('\n')).toContain('the location climbs out of the package');
  });
});
