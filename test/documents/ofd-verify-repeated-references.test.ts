// A part listed again and again: `verify --file` reads OFD files from anywhere, and hashed a part
// once for every reference naming it, and verified a signature once for every entry of
// Signatures.xml naming it — before any signature was checked. A file of a few megabytes whose
// Signature.xml names one part that inflates to 64 MiB twenty thousand times asked for over a
// terabyte of inflating and hashing. A part is now hashed once however often it is named, and a
// part or a signature named more than once fails the file, naming it.
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { SIGNATURE_XML } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip, type ZipEntry } from '../../adapters/documents/zip/zip-writer.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const SIGNATURES = 'Doc_0/Signs/Signatures.xml';
const BOMB = 'Doc_0/Res/bomb.png';

describe('a part or a signature named more than once', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let parts: ZipEntry[];

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

  function edited(name: string, edit: (text: string) => string): ZipEntry[] {
    return parts.map((p) =>
      p.name === name ? { name, data: Buffer.from(edit(Buffer.from(p.data).toString('utf8'))) } : p,
    );
  }

  it('hashes a part named two thousand times once, and fails the signature naming it', () => {
    const size = 1024 * 1024;
    const zeros = Buffer.alloc(size);
    const bomb: ZipEntry = {
      name: BOMB,
      data: Buffer.alloc(0),
      packed: { crc: crc32(zeros) >>> 0, size, method: 8, body: deflateRawSync(zeros, { level: 9 }) },
    };
    const reference = `<ofd:Reference FileRef="/${BOMB}"><ofd:CheckValue>AAAA</ofd:CheckValue></ofd:Reference>`;
    const zip = writeZip(
      [
        ...edited(SIGNATURE_XML, (t) =>
          t.replace('</ofd:References>', `${reference.repeat(2_000)}</ofd:References>`),
        ),
        bomb,
      ],
      new Date(),
    );
    // Each reference, twenty bytes deflated, took a mebibyte of inflating and hashing.
    expect(zip.length).toBeLessThan(64 * 1024);
    const result = verifyOfd(zip, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      `reference ${BOMB}: named by 2000 references`,
      `reference ${BOMB}: SM3 mismatch (the part changed after signing)`,
      `dataHash mismatch: ${SIGNATURE_XML} is not the Signature.xml that was signed`,
    ]);
  });

  it('fails a part named by two references in other forms', () => {
    const zip = writeZip(
      edited(SIGNATURE_XML, (t) =>
        t.replace(
          '</ofd:References>',
          '<ofd:Reference FileRef="../../../OFD.xml"><ofd:CheckValue>AAAA</ofd:CheckValue></ofd:Reference></ofd:References>',
        ),
      ),
      new Date(),
    );
    const problems = verifyOfd(zip, kit.trust).signatures[0]?.problems;
    expect(problems).toContain('reference OFD.xml: named by 2 references');
  });

  it('verifies a signature Signatures.xml names two thousand times once, and fails the file', () => {
    const zip = writeZip(
      edited(SIGNATURES, (t) => {
        const entry = /<ofd:Signature [^>]*\/>/.exec(t)?.[0] as string;
        return t.replace(entry, entry.repeat(2_000));
      }),
      new Date(),
    );
    const result = verifyOfd(zip, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures).toHaveLength(1);
    expect(result.problems).toEqual([`${SIGNATURES} names ${SIGNATURE_XML} 2000 times`]);
    // Signatures.xml is a signed part: its reference fails too.
    expect(result.signatures[0]?.problems).toEqual([
      `reference ${SIGNATURES}: SM3 mismatch (the part changed after signing)`,
    ]);
  });
});
