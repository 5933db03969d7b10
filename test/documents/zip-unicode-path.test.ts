// The Info-ZIP Unicode Path extra field (0x7075) gives an entry a second name: a reader that
// honours it (JSZip, which ofd.js opens OFD files with, does so for an entry without the UTF-8 flag
// when the field's CRC is the CRC-32 of the header's name) shows the entry under that name. Two
// signed parts swapped that way keep every reference hash, yet a reader shows each part's bytes
// under the other's name: the verifier must refuse a second name, not verify the first.

import { crc32 } from 'node:zlib';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

interface Part {
  name: string;
  data: Buffer;
  /** The Unicode Path field's name, in the central directory (`central`) or the local header (`local`). */
  alias?: { name: string; where: 'central' | 'local' };
}

/** The 0x7075 field: version 1, CRC-32 of the header's name, the UTF-8 name. */
function unicodePath(headerName: string, alias: string): Buffer {
  const name = Buffer.from(alias, 'utf8');
  const field = Buffer.alloc(4 + 5 + name.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + name.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(Buffer.from(headerName, 'latin1')) >>> 0, 5);
  name.copy(field, 9);
  return field;
}

/** A stored (method 0) archive, names without the UTF-8 flag, aliases where asked. */
function storedZip(parts: readonly Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'latin1');
    const crc = crc32(p.data) >>> 0;
    const extraOf = (where: 'central' | 'local') =>
      p.alias?.where === where ? unicodePath(p.name, p.alias.name) : Buffer.alloc(0);
    const localExtra = extraOf('local');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    locals.push(local, name, localExtra, p.data);
    const centralExtra = extraOf('central');
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(p.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, centralExtra);
    offset += 30 + name.length + localExtra.length + p.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('an entry with a second name (Unicode Path extra field)', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let parts: Part[];

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

  it('verifies the same parts rewritten plainly, without the UTF-8 flag', () => {
    expect(verifyOfd(storedZip(parts), kit.trust).ok).toBe(true);
  });

  it('refuses two signed parts a reader shows under each other’s names', async () => {
    const [a, b] = ['OFD.xml', 'Doc_0/Document.xml'];
    const swapped = parts.map((p) =>
      p.name === a
        ? { ...p, alias: { name: b, where: 'central' as const } }
        : p.name === b
          ? { ...p, alias: { name: a, where: 'central' as const } }
          : p,
    );
    const zip = storedZip(swapped);
    // The reader ofd.js uses: OFD.xml as it shows it is Document.xml's bytes.
    const seen = await JSZip.loadAsync(zip);
    expect(await seen.file(a)?.async('nodebuffer')).toEqual(parts.find((p) => p.name === b)?.data);
    const result = verifyOfd(zip, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `zip: ${a}: its Unicode Path extra field names it ${b}: readers that honour the field show it under that name`,
    ]);
  });

  it('refuses a second name in the local header too, as a reader streaming the archive takes it', () => {
    const aliased = parts.map((p) =>
      p.name === 'OFD.xml' ? { ...p, alias: { name: 'Doc_0/Document.xml', where: 'local' as const } } : p,
    );
    const result = verifyOfd(storedZip(aliased), kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'zip: OFD.xml: its Unicode Path extra field names it Doc_0/Document.xml: readers that honour the field show it under that name',
    ]);
  });

  it('accepts a Unicode Path field naming the entry as its header does', () => {
    const same = parts.map((p) => ({ ...p, alias: { name: p.name, where: 'central' as const } }));
    expect(verifyOfd(storedZip(same), kit.trust).ok).toBe(true);
  });
});
