// Entry names a reader may resolve otherwise than the verifier: two entries of one name (readers
// differ on which they take), a name climbing out with `../`, a name differing from a signed part
// only by case or a leading slash. None of them may leave a file that verifies.
import { describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { useSealedLicense } from './sealed-license.js';

const PAGE = 'Doc_0/Pages/Page_0/Content.xml';

describe('entry names of a sealed OFD', () => {
  const sealed = useSealedLicense();

  const forged = Buffer.from('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"/>');

  it('refuses two entries of one name, whichever a reader would take', () => {
    // Written under a stand-in name of the same length, then renamed in both headers.
    const standIn = `${PAGE.slice(0, -1)}_`;
    for (const forgedFirst of [true, false]) {
      const extra = { name: standIn, data: forged };
      const zip = writeZip(forgedFirst ? [extra, ...sealed.parts] : [...sealed.parts, extra], new Date());
      let at = zip.indexOf(standIn);
      for (; at >= 0; at = zip.indexOf(standIn, at + 1)) zip.write(PAGE, at, 'utf8');
      const result = verifyOfd(zip, sealed.kit.trust);
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([`zip: ${PAGE} appears twice`]);
    }
  });

  it('fails an entry no reference names: `../`, `./`, another case', () => {
    for (const name of [
      `../${PAGE}`,
      'Doc_0/Pages/Page_0/../Page_0/Content.xml',
      PAGE.toLowerCase(),
      `./${PAGE}`,
    ]) {
      const result = verifyOfd(
        writeZip([...sealed.parts, { name, data: forged }], new Date()),
        sealed.kit.trust,
      );
      expect(result.ok, name).toBe(false);
      expect(result.problems, name).toEqual([`${name} is not covered by any signature`]);
    }
  });

  it('fails an entry named with a leading slash', () => {
    const zip = writeZip([...sealed.parts, { name: `_${PAGE}`, data: forged }], new Date());
    let at = zip.indexOf(`_${PAGE}`);
    for (; at >= 0; at = zip.indexOf(`_${PAGE}`, at + 1)) zip.write('/', at, 'utf8');
    const result = verifyOfd(zip, sealed.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([`/${PAGE} is not covered by any signature`]);
  });

  it('fails a signed part renamed by case, its reference then naming a missing part', () => {
    const renamed = sealed.parts.map((p) => (p.name === PAGE ? { ...p, name: PAGE.toLowerCase() } : p));
    const result = verifyOfd(writeZip(renamed, new Date()), sealed.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toContain(`reference ${PAGE}: the part is missing`);
    expect(result.problems).toEqual([`${PAGE.toLowerCase()} is not covered by any signature`]);
  });
});
