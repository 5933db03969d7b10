/**
 * License files on the wire of a REST/JSON platform (`licenseFiles.send` of the target):
 * `base64` puts the file in its item, `multipart` sends the batch as `multipart/form-data`
 * (RFC 7578) with the JSON in part `batch` and one part per file, each item naming its part.
 * Either way the item carries the file's name, size and SM3, so the platform can check what it
 * received against what licbridge recorded.
 */

import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import type { DeliveryFile, DeliveryItem } from '../target.js';
import type { BatchRequestItem } from './batch-wire.js';
import type { LicenseFilesOption } from './file-options.js';

/** A license file with its bytes, read for the request that carries it (DeliveryFile.read). */
export interface LoadedFile extends Omit<DeliveryFile, 'read'> {
  bytes: Buffer;
}

/**
 * `item`'s file with its bytes, for a request of target `target` to `origin`. A read that fails
 * fails the request before it leaves this host: unsent, no attempt of its licenses, retryable as
 * the file store's own read failures are. An error of the file system's own (EACCES, EIO) went
 * out bare, naming no target, and the licenses of its request were counted tried.
 */
export async function loadFile(target: string, origin: string, item: DeliveryItem): Promise<LoadedFile> {
  const file = item.file as DeliveryFile;
  try {
    return { name: file.name, sm3: file.sm3, size: file.size, bytes: await file.read() };
  } catch (e) {
    if (isLicbridgeError(e) && e.context.unsent === true) throw e;
    const what = `the license file of ${item.licenseId} version ${item.version} could not be read`;
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `target ${target}: batch upload to ${origin} not sent: ${what}`,
      {
        retryable: true,
        context: { target, unsent: true },
        cause: e,
      },
    );
  }
}

/** A file part of a multipart batch. */
export interface FilePart {
  part: string;
  file: LoadedFile;
}

/** OFD's media type (GB/T 33190 registers none; platforms take this one). */
export const OFD_MEDIA_TYPE = 'application/ofd';

/**
 * The wire item with its file under `option.property`: the content itself (`base64`), or the name
 * of the part that holds it (`multipart`, appended to `parts`).
 */
export function withFile(
  wire: BatchRequestItem,
  file: LoadedFile,
  option: LicenseFilesOption,
  parts: FilePart[],
): BatchRequestItem {
  const about = { name: file.name, size: file.size, sm3: file.sm3 };
  if (option.send === 'base64') {
    return { ...wire, [option.property]: { ...about, content: file.bytes.toString('base64') } };
  }
  const part = `file-${parts.length + 1}`;
  parts.push({ part, file });
  return { ...wire, [option.property]: { ...about, part } };
}

/** Quoted-string of a form-data header parameter: names here are ASCII identifiers, so only `"` and `\\` need care. */
const quoted = (value: string): string => `"${value.replace(/["\\\r\n]/g, '_')}"`;

const boundaryOf = (idempotencyKey: string): string => `licbridge-${idempotencyKey.slice(0, 48)}`;
const partHead = (boundary: string, lines: readonly string[]): Buffer =>
  Buffer.from(`--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`, 'utf8');
const BATCH_PART_LINES = [
  'Content-Disposition: form-data; name="batch"',
  'Content-Type: application/json; charset=utf-8',
];
const filePartLines = (part: string, fileName: string): string[] => [
  `Content-Disposition: form-data; name=${quoted(part)}; filename=${quoted(fileName)}`,
  `Content-Type: ${OFD_MEDIA_TYPE}`,
];
/** A boundary as long as every one {@link multipartBody} draws. */
const SIZING_BOUNDARY = boundaryOf('0'.repeat(64));

/** Bytes of a multipart body besides its JSON and its file parts: the `batch` part's head, its CRLF, the closing line. */
export const MULTIPART_FRAME_BYTES = multipartBody('', [], '0'.repeat(64)).body.length;

/** Bytes file part `part` adds to a multipart body: its head, the file, its CRLF. */
export function filePartBytes(file: Pick<DeliveryFile, 'name' | 'size'>, part: string): number {
  return partHead(SIZING_BOUNDARY, filePartLines(part, file.name)).length + file.size + 2;
}

/**
 * A `multipart/form-data` body: the batch JSON, then the files. The boundary is derived from the
 * request's idempotency key (one per send), so a send tried again after renewed credentials
 * carries the same body; 48 hex characters of SHA-256 never occur in the JSON or, in practice, in
 * an OFD package.
 */
export function multipartBody(
  json: string,
  parts: readonly FilePart[],
  idempotencyKey: string,
): { body: Buffer; contentType: string } {
  const boundary = boundaryOf(idempotencyKey);
  const chunks: Buffer[] = [];
  chunks.push(partHead(boundary, BATCH_PART_LINES), Buffer.from(json, 'utf8'), Buffer.from('\r\n'));
  for (const p of parts)
    chunks.push(partHead(boundary, filePartLines(p.part, p.file.name)), p.file.bytes, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
