/**
 * The `licenseFiles` section: where sealed OFD license files are kept (docs/ofd.md). The store is
 * read by `sign files` when no `--store` is given, and by deliveries to targets that take files
 * (`licenseFiles` of a `rest-json` target, docs/ofd.md "Files to platforms").
 */
import { closed, int, type Schema, str } from './builders.js';

export const licenseFiles: Schema = {
  ...closed('Sealed OFD license files: the file store they are written to and read from (docs/ofd.md).', {
    store: str(
      "Root folder of the file store, relative to this file: files go to `<store>/<license type>/<shelf>/<license id>.<version>.ofd` (the shelf: two hex digits of SM3 over the license id). `licbridge sign files` issues into it when no `--store` is given (the flag wins); deliveries to targets that take files read from it. The ledger keeps each file's SM3 and size, so a file changed in the store is refused, never sent.",
    ),
    pageSize: int(
      'Files issued and recorded per ledger transaction by `licbridge sign files` (its `--page-size` wins).',
      1,
      10_000,
      { default: 50 },
    ),
  }),
  default: {},
};
