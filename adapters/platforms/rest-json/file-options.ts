/**
 * `licenseFiles` of a `rest-json` target: whether each delivered version carries its sealed OFD
 * license file, and how (docs/ofd.md "Files to platforms"). Off by default, so a target configured
 * before license files existed sends exactly what it sent before.
 */
import { closed, int, type Schema, str } from '../../../config/schema/builders.js';
import { withSchemaDefaults } from '../../../config/schema-defaults.js';

/**
 * Largest `maxBytes` a target may declare: one such file, in base64, must still fit one request of
 * the largest `maxBatchBytes` (batch-bytes.ts), which cuts batches of them.
 */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const licenseFilesOption: Schema = {
  ...closed(
    "Sealed OFD license files sent with each version (docs/ofd.md). Read from `licenseFiles.store` of the config; a file whose SM3 is not the ledger's, or larger than `maxBytes`, is dead-lettered naming the file, never sent. Default: no files.",
    {
      send: {
        type: 'string',
        enum: ['off', 'base64', 'multipart'],
        default: 'off',
        description:
          '`off`: no files. `base64`: each item of the JSON batch carries its file in `<property>: { name, size, sm3, content }` (`content` base64). `multipart`: the batch is `multipart/form-data`, the JSON in part `batch`, each item naming its file part in `<property>: { name, size, sm3, part }`.',
      },
      property: str('Name of the item field that carries (or names) the file.', {
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        default: 'ofd',
      }),
      maxBytes: int(
        'Largest file the platform takes, bytes. A version whose file is larger is dead-lettered with the target, the version and the size; raise the limit and replay it with `licbridge dlq replay`.',
        1,
        MAX_FILE_BYTES,
        { default: 10 * 1024 * 1024 },
      ),
      whenMissing: {
        type: 'string',
        enum: ['send-without', 'wait'],
        default: 'send-without',
        description:
          'A version the ledger lists no file for yet: `send-without` sends it without a file; `wait` holds it (and the later versions of its license) until `licbridge sign files` issues one — for platforms that refuse records without their file. A held version is looked at again like one waiting for its predecessor, and fails after as many checks.',
      },
    },
  ),
  // No `default: {}`: like `codes`, a target without the option is filled where it is read
  // (`licenseFilesOptionOf`), and the loaded config keeps what was written.
};

export interface LicenseFilesOption {
  readonly send: 'off' | 'base64' | 'multipart';
  readonly property: string;
  readonly maxBytes: number;
  readonly whenMissing: 'send-without' | 'wait';
}

/** The option with its schema defaults, also for a target config built in code. */
export function licenseFilesOptionOf(value: Partial<LicenseFilesOption> | undefined): LicenseFilesOption {
  return withSchemaDefaults(licenseFilesOption, value ?? {}) as LicenseFilesOption;
}
