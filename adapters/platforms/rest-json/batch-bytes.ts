/**
 * How many bytes a REST/JSON batch request may hold (`maxBatchBytes` of the target) and what each
 * item adds to it. Cut by count alone, a batch of license files sent as base64 grew with the files:
 * 100 files of 4 MB made a body past the longest string V8 builds (~512 MiB), and building it
 * failed with "Invalid string length" at every attempt until every license of the batch was a
 * dead letter, none of them at fault.
 */

import { maxBatchBytesOption } from '../shared/request-bytes.js';
import type { DeliveryFile } from '../target.js';
import type { BatchRequestItem } from './batch-wire.js';
import type { LicenseFilesOption } from './file-options.js';
import { filePartBytes, type LoadedFile, MULTIPART_FRAME_BYTES, withFile } from './file-wire.js';

/** `maxBatchBytes` of a `rest-json` target (shared/request-bytes.ts). */
export const restMaxBatchBytesOption = maxBatchBytesOption(
  'Counts the license files a request carries (`licenseFiles`, base64 or multipart); set it under what the platform or its proxy takes per request.',
);

/** `{"items":[` and `]}` of a JSON body. */
const JSON_FRAME_BYTES = '{"items":[]}'.length;

/** Bytes of a request body besides its items', for the way files are sent. */
export function frameBytes(files: LicenseFilesOption): number {
  return JSON_FRAME_BYTES + (files.send === 'multipart' ? MULTIPART_FRAME_BYTES : 0);
}

/** Base64 of `n` bytes: 4 characters for every 3 bytes begun; every one a single JSON byte. */
const base64Length = (n: number): number => 4 * Math.ceil(n / 3);

/** An empty file where the item's is, to measure what is around its content (the file unread). */
const withoutContent = ({ name, sm3, size }: DeliveryFile): LoadedFile => ({
  name,
  sm3,
  size,
  bytes: Buffer.alloc(0),
});

/**
 * The bytes item `wire` adds to a request body (with its comma), with `file` sent as `files` says,
 * without building the file's base64. `ordinal` bounds the number of its multipart part (a
 * request's `batchSize`).
 */
export function itemBytes(
  wire: BatchRequestItem,
  file: DeliveryFile | undefined,
  files: LicenseFilesOption,
  ordinal: number,
): number {
  if (!file || files.send === 'off') return Buffer.byteLength(JSON.stringify(wire), 'utf8') + 1;
  const around = Buffer.byteLength(JSON.stringify(withFile(wire, withoutContent(file), files, [])), 'utf8');
  if (files.send === 'base64') return around + base64Length(file.size) + 1;
  // The item names `file-1` here and at most `file-<ordinal>` in its request.
  const digits = String(ordinal).length - 1;
  return around + digits + 1 + filePartBytes(file, `file-${ordinal}`);
}
