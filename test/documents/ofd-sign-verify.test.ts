// A license as a sealed OFD file: a well-formed ZIP (checked by unzip), references whose SM3
// OpenSSL recomputes, and a verifier that fails when any byte of any signed part changes.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

describe('a sealed OFD license file', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let file: Buffer;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const seal = kit.sealSigner();
    await seal.open();
    [file] = (await issueLicenseFiles([{ license: foodLicense(), template: foodTemplate }], seal)) as [
      Buffer,
    ];
    await seal.close();
    writeFileSync(join(dir, 'license.ofd'), file);
  });
  afterAll(() => cleanup());

  it('is a ZIP that unzip tests clean, with the OFD parts and the signature parts', () => {
    const test = execFileSync('unzip', ['-t', 'license.ofd'], { cwd: dir, encoding: 'utf8' });
    expect(test).toContain('No errors detected');
    const names = execFileSync('zipinfo', ['-1', 'license.ofd'], { cwd: dir, encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(names).toEqual([
      'OFD.xml',
      'Doc_0/Document.xml',
      'Doc_0/PublicRes.xml',
      'Doc_0/Pages/Page_0/Content.xml',
      'Doc_0/Signs/Signatures.xml',
      'Doc_0/Signs/Sign_0/Signature.xml',
      'Doc_0/Signs/Sign_0/SignedValue.dat',
    ]);
    expect(file.length).toBeLessThan(64 * 1024);
  });

  it("lists every other part with the SM3 OpenSSL computes, and the SES_Signature's dataHash is SM3(Signature.xml)", () => {
    execFileSync('unzip', ['-o', '-q', 'license.ofd', '-d', 'x'], { cwd: dir });
    const sigXml = readFileSync(join(dir, 'x/Doc_0/Signs/Sign_0/Signature.xml'), 'utf8');
    const refs = [...sigXml.matchAll(/<ofd:Reference FileRef="\/([^"]+)"><ofd:CheckValue>([^<]+)</g)].map(
      (m) => [m[1], m[2]],
    );
    expect(refs.map((r) => r[0])).toEqual([
      'OFD.xml',
      'Doc_0/Document.xml',
      'Doc_0/PublicRes.xml',
      'Doc_0/Pages/Page_0/Content.xml',
      'Doc_0/Signs/Signatures.xml',
    ]);
    for (const [path, value] of refs) {
      const hex = execFileSync('openssl', ['dgst', '-sm3', '-r', `x/${path}`], {
        cwd: dir,
        encoding: 'utf8',
      }).split(' ')[0] as string;
      expect(Buffer.from(hex, 'hex').toString('base64')).toBe(value);
    }
    expect(sigXml).toContain('<ofd:References CheckMethod="1.2.156.10197.1.401">');
    expect(sigXml).toMatch(/<ofd:StampAnnot ID="\d+" PageRef="\d+" Boundary="200 140 42 42"\/>/);
    const sm3 = execFileSync('openssl', ['dgst', '-sm3', '-r', 'x/Doc_0/Signs/Sign_0/Signature.xml'], {
      cwd: dir,
      encoding: 'utf8',
    }).split(' ')[0];
    const asn = execFileSync(
      'openssl',
      ['asn1parse', '-inform', 'DER', '-in', 'x/Doc_0/Signs/Sign_0/SignedValue.dat'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(asn).toContain(':/Doc_0/Signs/Sign_0/Signature.xml');
    const dataHashLine = asn.split('\n').find((l) => /d=2 .*BIT STRING/.test(l)) as string;
    const off = Number(dataHashLine.trim().split(':')[0]);
    const der = readFileSync(join(dir, 'x/Doc_0/Signs/Sign_0/SignedValue.dat'));
    expect(der.subarray(off + 3, off + 35).toString('hex')).toBe(sm3);
  });

  it('verifies with the configured trust, and names the untrusted signer without it', () => {
    const good = verifyOfd(file, kit.trust);
    expect(good.problems).toEqual([]);
    expect(good.signatures.map((s) => s.problems)).toEqual([[]]);
    expect(good.ok).toBe(true);
    expect(good.signatures[0]?.sealId).toBe('37021100000001');
    const untrusted = verifyOfd(file, []);
    expect(untrusted.ok).toBe(false);
    expect(untrusted.signatures[0]?.problems.join('; ')).toMatch(
      /untrusted signer: certificate serial [0-9A-F]+ \(CN=West Coast Market Supervision Bureau\)/,
    );
  });

  it('fails when one byte of any part changes, even in a re-packed, CRC-correct archive', () => {
    const archive = readZip(file);
    for (const name of archive.names) {
      const parts = archive.names.map((n) => ({ name: n, data: Buffer.from(archive.read(n)) }));
      const part = parts.find((p) => p.name === name) as { data: Buffer };
      // A byte in the middle of the part: text stays text, a DER changes inside its content.
      const at = Math.floor(part.data.length / 2);
      part.data[at] = (part.data[at] as number) ^ 0x01;
      const result = verifyOfd(writeZip(parts, new Date()), kit.trust);
      expect(result.ok, `changing ${name} must fail`).toBe(false);
    }
  });

  it('fails when any byte of an entry (its name, its stored data) or of its CRC, sizes or method changes in the file', () => {
    // The ZIP's own bookkeeping (timestamps, version fields) is no part of any signed content.
    const spans: [number, number][] = [];
    for (let p = 0; file.readUInt32LE(p) === 0x04034b50; ) {
      const nameLen = file.readUInt16LE(p + 26);
      const end = p + 30 + nameLen + file.readUInt16LE(p + 28) + file.readUInt32LE(p + 18);
      spans.push([p + 8, p + 10], [p + 14, p + 30 + nameLen], [p + 30 + nameLen, end]);
      p = end;
    }
    const original = readZip(file);
    // Inflated once: the loop below compares over a thousand damaged files with these.
    const originalParts = new Map(original.names.map((n) => [n, original.read(n)]));
    const sameContent = (damaged: Buffer): boolean => {
      try {
        const z = readZip(damaged);
        return (
          z.names.length === originalParts.size &&
          z.names.every((n) => originalParts.get(n)?.equals(z.read(n)) === true)
        );
      } catch {
        return false;
      }
    };
    let checked = 0;
    let unchanged = 0;
    // The bytes whose damage still verifies, all of them named at once: none may.
    const verified: string[] = [];
    for (const [from, to] of spans) {
      for (let at = from; at < to; at += 5) {
        const damaged = Buffer.from(file);
        // The lowest bit: deflate fills bytes from bit 0, so only the high bits of a stream's last
        // byte are padding that no reader sees.
        damaged[at] = (damaged[at] as number) ^ 0x01;
        if (!verifyOfd(damaged, kit.trust).ok) {
          checked++;
          continue;
        }
        // A deflate block header may describe codes no symbol uses: a flip there can decode to
        // the very same parts — the same signed document, which may verify. Asked only of a file
        // that verified: inflating every part of each of the thousand files first was a third of
        // this case's time.
        if (sameContent(damaged)) {
          unchanged++;
          continue;
        }
        verified.push(`byte ${at}`);
        checked++;
      }
    }
    expect(verified).toEqual([]);
    expect(unchanged).toBeLessThan(checked / 100);
    expect(checked).toBeGreaterThan(900);
  });

  it('fails when a part is added that no signature covers', () => {
    const archive = readZip(file);
    const parts = archive.names.map((n) => ({ name: n, data: archive.read(n) }));
    parts.push({ name: 'Doc_0/Res/extra.png', data: Buffer.from('x') });
    const result = verifyOfd(writeZip(parts, new Date()), kit.trust);
    expect(result.problems).toEqual(['Doc_0/Res/extra.png is not covered by any signature']);
    expect(result.ok).toBe(false);
  });
});
