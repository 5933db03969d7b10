/**
 * dmdb's own error class, as the DM driver makes a server's error: the server's code (negative,
 * e.g. -2501 for a refused login) in `errCode`, its text, no `code`. There is no DM server here,
 * so the front-db tests of DM build the driver's errors with it.
 */
import { createRequire } from 'node:module';

export const { DBError: DmDriverError } = createRequire(import.meta.url)('dmdb/src/driver/error.js') as {
  DBError: new (code: number, message: string, detail: null) => Error;
};
