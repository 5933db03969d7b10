/**
 * How many bytes a REST/JSON batch request may hold (`maxBatchBytes` of the target) and what each
 * item adds to it. Cut by count alone, a batch of license files sent as base64 grew with the files:
 * 100 files of 4 MB made a body past the longest string V8 builds (~512 MiB), and building it
 * failed with "Invalid string length" at every attempt until every license of the batch was a
 * dead letter, none of them at fault.
 */
import { int, type Schema } from '../../../config/schema/builders.js';
import { withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { DeliveryFile, DeliveryItem, DeliveryOutcome } from '../target.js';
import type { BatchRequestItem } from './batch-wire.js';
import type { LicenseFilesOption } from './file-options.js';
import { filePartBytes, type LoadedFile, MULTIPART_FRAME_BYTES, withFile } from './file-wire.js';

/** Largest `maxBatchBytes`: half the longest string V8 builds, which the JSON body is first. */
const MAX_BATCH_BYTES = 256 * 1024 * 1024;

export const maxBatchBytesOption: Schema = int(
  'Largest request body, bytes: a batch is cut before the license that would make it larger, as well as at `batchSize`. A license larger on its own goes alone. Counts the license files a request carries (`licenseFiles`, base64 or multipart); set it under what the platform or its proxy takes per request.',
  1024,
  MAX_BATCH_BYTES,
  { default: 32 * 1024 * 1024 },
);

/** `maxBatchBytes` of a target's config, with the schema's default when a config built in code has none. */
export function maxBatchBytesOf(config: { readonly maxBatchBytes?: number }): number {
  const schema: Schema = { type: 'object', properties: { maxBatchBytes: maxBatchBytesOption } };
  return withSchemaDefaults(schema, { maxBatchBytes: config.maxBatchBytes }).maxBatchBytes as number;
}

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

/**
 * Runs `build` (a request body); a body past what the runtime builds (V8's string or Buffer
 * limit, a RangeError) is an error marked `tooLarge`, so the batch is halved and a license too
 * large on its own fails alone (shared/batches.ts).
 */
export function buildingBody<R>(target: string, build: () => R): R {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      `target ${target}: request body too large to build`,
      {
        retryable: true,
        context: { target, tooLarge: true },
        cause: e,
      },
    );
  }
}

/**
 * The outcome of a license whose request was refused as too large even alone, `bytes` its request
 * body's: by the platform or its proxy (413), or past what can be built. Its reason names the
 * license, version and size (never its content). Past `maxBatchBytes` or unbuildable (`fits`
 * false) it is a dead letter: the platform's limit is raised, or `licenseFiles.maxBytes` lowered,
 * and it is replayed with `licbridge dlq replay`. Within `maxBatchBytes` the platform or a proxy
 * refused a size it was said to take (nginx's 1 MiB `client_max_body_size` with a 2 MiB file):
 * retryable, an attempt spent, so a limit raised before `attempts` run out delivers it unreplayed.
 */
export function tooLargeAlone(
  target: string,
  item: DeliveryItem,
  bytes: number,
  error: LicbridgeError,
  fits: boolean,
): DeliveryOutcome {
  const what = `licbridge: license ${item.licenseId} version ${item.version}: its request of ${bytes} bytes`;
  return {
    key: item.key,
    state: 'failed',
    retryable: fits,
    reasons: [
      fits
        ? `${what} was refused as too large by target ${target} even alone, though within its maxBatchBytes (${error.message}); not delivered yet: raise the platform's or its proxy's body limit, or lower maxBatchBytes under it`
        : `${what} is too large for target ${target} even alone (${error.message}); not delivered`,
    ],
  };
}
