/**
 * The license file an item may carry (`ofd` of the item): its bytes in base64 (`content`) or in a
 * named part of a multipart upload (`part`), with the name, size and SM3 the sender recorded. The
 * platform keeps a file only when its bytes hash to that SM3, form an OFD package (a ZIP whose
 * `OFD.xml` is an OFD document, GB/T 33190 §7) and name the item's license (the identifier in
 * `OFD.xml`'s `CustomData`, which licbridge's files carry, equal to `zzbs`); otherwise the item is
 * rejected with the reason.
 */
import { createHash } from 'node:crypto';
import { readZip } from '../../documents/zip/zip-reader.js';
import type { FormPart } from './multipart.js';

/** What the platform keeps of a file besides its bytes. */
export interface ReceivedFileInfo {
  name: string;
  size: number;
  sm3: string;
  /** How it came: in the JSON item or as a multipart part. */
  via: 'base64' | 'multipart';
}

export interface CheckedFile {
  info?: ReceivedFileInfo;
  bytes?: Buffer;
  errors: string[];
}

const SM3_HEX = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The file of one item under `property`; no file and no errors when the item carries none. */
export function checkFile(
  item: Record<string, unknown>,
  property: string,
  parts: ReadonlyMap<string, FormPart> | undefined,
): CheckedFile {
  const raw = item[property];
  if (raw === undefined) return { errors: [] };
  const at = (rest: string) => `${property}${rest}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { errors: [at(': expected an object')] };
  const f = raw as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof f.name !== 'string' || f.name === '') errors.push(at('.name: required'));
  if (typeof f.sm3 !== 'string' || !SM3_HEX.test(f.sm3))
    errors.push(at('.sm3: expected 64 lowercase hex digits'));
  if (!Number.isSafeInteger(f.size)) errors.push(at('.size: expected an integer'));
  let bytes: Buffer | undefined;
  let via: ReceivedFileInfo['via'] = 'base64';
  if (typeof f.content === 'string') {
    if (!BASE64.test(f.content) || f.content.length % 4 !== 0) errors.push(at('.content: not base64'));
    else bytes = Buffer.from(f.content, 'base64');
  } else if (typeof f.part === 'string') {
    via = 'multipart';
    const part = parts?.get(f.part);
    if (!part) errors.push(at(`.part: no part named ${f.part} in the upload`));
    else bytes = part.body;
  } else errors.push(at(': expected `content` (base64) or `part` (a multipart part name)'));
  if (errors.length > 0 || !bytes) return { errors };

  if (bytes.length !== f.size) errors.push(at(`.size: says ${f.size} bytes, the file has ${bytes.length}`));
  if (createHash('sm3').update(bytes).digest('hex') !== f.sm3)
    errors.push(at('.sm3: does not match the file received'));
  const license = item.license as Record<string, unknown> | undefined;
  const ofd = ofdProblem(bytes, typeof license?.zzbs === 'string' ? license.zzbs : undefined);
  if (ofd) errors.push(at(`: ${ofd}`));
  if (errors.length > 0) return { errors };
  return {
    info: { name: f.name as string, size: bytes.length, sm3: f.sm3 as string, via },
    bytes,
    errors,
  };
}

/** Why the bytes are no OFD package of license `zzbs`, or undefined when they are one. */
function ofdProblem(bytes: Buffer, zzbs: string | undefined): string | undefined {
  let main: string;
  try {
    const archive = readZip(bytes);
    if (!archive.has('OFD.xml')) return 'not an OFD package (no OFD.xml)';
    main = archive.read('OFD.xml').toString('utf8');
  } catch (e) {
    return `not an OFD package (${(e as Error).message})`;
  }
  if (!/<(?:[A-Za-z_][\w.-]*:)?OFD[\s>]/.test(main) || !/DocBody/.test(main))
    return 'not an OFD package (OFD.xml is no OFD document)';
  const named = /<(?:[\w.-]+:)?CustomData\s+Name="identifier"\s*>([^<]*)</.exec(main)?.[1];
  if (named === undefined) return 'the file names no license identifier';
  if (named !== zzbs) return `the file is of license ${named}, the item of ${zzbs ?? 'none'}`;
  return undefined;
}
