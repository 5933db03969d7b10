/**
 * The way docs/audit.md tells an auditor to check an export: `openssl pkeyutl -verify` over the
 * file with the signature and public key beside it (or others named), under the export's distId.
 */
import { openssl } from '../signers/helpers.js';

export function opensslVerify(
  dir: string,
  file: string,
  { sig = `${file}.sig`, pub = `${file}.pub.pem`, distId = '1234567812345678' } = {},
): ReturnType<typeof openssl> {
  return openssl(
    [
      'pkeyutl',
      '-verify',
      '-rawin',
      '-digest',
      'sm3',
      '-pubin',
      '-inkey',
      pub,
      '-sigfile',
      sig,
      '-in',
      file,
      '-pkeyopt',
      `distid:${distId}`,
    ],
    dir,
  );
}
