// Entry names a reader may resolve otherwise than the verifier: two entries of one name (readers
// differ on which they take), a name climbing out with `../`, a name differing from a signed part
// only by case or a leading slash. None of them may leave a file that verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const PAGE = 'Doc_0/Pages/Page_0/Content.xml';

describe('entry names of a sealed OFD', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let parts: { name: string; data: Buffer }[];

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const seal = kit.sealSigner();
    await seal.open();
    const [file] = await issueLicenseFiles([{ license: foodLicense(), template: foodTemplate }], seal);
    await seal.close();
    const archive = readZip(file as Buffer);
    parts = archive.names.map((name) => ({ name, data: archive.read(name) }));
  });
  afterAll(() => cleanup());

  const forged = Buffer.from('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"/>');

  it('refuses two entries of one name, whichever a reader would take', () => {
    // Written under a stand-in name of the same length, then renamed in both headers.
    const standIn = `${PAGE.slice(0, -1)}_`;
    for (const forgedFirst of [true, false]) {
      const extra = { name: standIn, data: forged };
      const zip = writeZip(forgedFirst ? [extra, ...parts] : [...parts, extra], new Date());
      let at = zip.indexOf(standIn);
      for (; at >= 0; at = zip.indexOf(standIn, at + 1)) zip.write(PAGE, at, 'utf8');
      const result = verifyOfd(zip, kit.trust);
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
      const result = verifyOfd(writeZip([...parts, { name, data: forged }], new Date()), kit.trust);
      expect(result.ok, name).toBe(false);
      expect(result.problems, name).toEqual([`${name} is not covered by any signature`]);
    }
  });

  it('fails an entry named with a leading slash', () => {
    const zip = writeZip([...parts, { name: `_${PAGE}`, data: forged }], new Date());
    let at = zip.indexOf(`_${PAGE}`);
    for (; at >= 0; at = zip.indexOf(`_${PAGE}`, at + 1)) zip.write('/', at, 'utf8');
    const result = verifyOfd(zip, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([`/${PAGE} is not covered by any signature`]);
  });

  it('fails a signed part renamed by case, its reference then naming a missing part', () => {
    const renamed = parts.map((p) => (p.name === PAGE ? { ...p, name: PAGE.toLowerCase() } : p));
    const result = verifyOfd(writeZip(renamed, new Date()), kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toContain(`reference ${PAGE}: the part is missing`);
    expect(result.problems).toEqual([`${PAGE.toLowerCase()} is not covered by any signature`]);
  });
});
