/**
 * How many bytes a batch request may hold (a target's `maxBatchBytes`) and what becomes of a
 * license refused as too large on its own. Shared by the targets that send batches over HTTP
 * (REST/JSON, SOAP/XML) with shared/batches.ts `sendInBatches`; what one item adds to a body is
 * each format's own (rest-json/batch-bytes.ts, soap-xml/envelope.ts).
 */
import { int, type Schema } from '../../../config/schema/builders.js';
import { withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import type { DeliveryItem, DeliveryOutcome } from '../target.js';
import type { BatchRequestName } from './batches.js';

/** Largest `maxBatchBytes`: half the longest string V8 builds, which a body is first. */
const MAX_BATCH_BYTES = 256 * 1024 * 1024;
const DEFAULT_BATCH_BYTES = 32 * 1024 * 1024;

/**
 * The `maxBatchBytes` option of a target kind; `counts` says what its body counts and what to set
 * it under, for that kind.
 */
export function maxBatchBytesOption(counts: string): Schema {
  return int(
    `Largest request body, bytes: a batch is cut before the license that would make it larger, as well as at \`batchSize\`. A license larger on its own goes alone. ${counts}`,
    1024,
    MAX_BATCH_BYTES,
    { default: DEFAULT_BATCH_BYTES },
  );
}

/** `maxBatchBytes` of a target's config, with the schema's default when a config built in code has none. */
export function maxBatchBytesOf(config: { readonly maxBatchBytes?: number }): number {
  const schema: Schema = { type: 'object', properties: { maxBatchBytes: maxBatchBytesOption('') } };
  return withSchemaDefaults(schema, { maxBatchBytes: config.maxBatchBytes }).maxBatchBytes as number;
}

/** A request whose body is built: its target, its kind and where it was to go (./batches.ts). */
export type BodyOf = string | BatchRequestName;

/**
 * Runs `build` (a request body); a body past what the runtime builds (V8's string or Buffer
 * limit, a RangeError) is an error marked `tooLarge`, so the batch is halved and a license too
 * large on its own fails alone (./batches.ts). Any other fault of no known kind, the request named
 * (`of` more than its target), fails it unsent, INTERNAL and final: rethrown bare, it named no
 * target or request, and its licenses were counted tried though nothing left this host. Each
 * license's own part (its item or record, mapped from its stored license) is built before, one
 * license at a time, and a fault there fails that license alone (./request-not-built.ts): one here
 * is of what the body adds (its frame, files, the form).
 */
export function buildingBody<R>(of: BodyOf, build: () => R): R {
  const target = typeof of === 'string' ? of : of.target;
  try {
    return build();
  } catch (e) {
    if (!(e instanceof RangeError)) {
      if (typeof of === 'string' || isLicbridgeError(e)) throw e;
      const message = `target ${target}: ${of.action} to ${of.to} not sent: its body could not be built`;
      throw new LicbridgeError(ErrorCodes.INTERNAL, message, { context: { target, unsent: true }, cause: e });
    }
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
 * body's: by the platform or its proxy (413, or a 413 `code` in a 200), or past what can be built.
 * Its reason names the license, version and size (never its content). Past `maxBatchBytes` or
 * unbuildable (`fits` false) it is a dead letter: the platform's limit is raised (or, with files,
 * `licenseFiles.maxBytes` lowered) and it is replayed with `licbridge dlq replay`. Within
 * `maxBatchBytes` the platform or a proxy refused a size it was said to take (nginx's 1 MiB
 * `client_max_body_size` with a 2 MiB file, WCF's 64 KiB `maxReceivedMessageSize`): retryable,
 * an attempt spent, so a limit raised before `attempts` run out delivers it unreplayed.
 *
 * Its kind is `request-too-large` however the refusal came (a 413 status, a 413 `code`, a SOAP
 * `batch-too-large` fault sent with HTTP 500, a body past what can be built): read from the
 * reason's words, the fault was audited `other` and the others by the status or code that carried them.
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
    failure: 'request-too-large',
  };
}
