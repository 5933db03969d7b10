// A license file whose check before sending (its SM3 and size read from the store) failed with an
// error of the file system's own (EIO, EACCES; a file not there or outside the store is refused with
// its reason) went out of attachLicenseFiles, and so of the deliver stage, as thrown: no target, no
// license or version, no code. It now names the file, the license, the version and the target,
// retryable and unsent (nothing was sent), the error's code in the message and the error its cause.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { attachLicenseFiles } from '../../pipelines/stages/deliver-files.js';
import { storedLicenseFiles } from '../deliver/stored-license-files.js';
import { restConfig } from '../platforms/license-fixture.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a license file whose check fails with a file system error', () => {
  it('fails naming the file, the license, its version and the target, retryable and unsent', async () => {
    const { root, items, rows, ledger } = await storedLicenseFiles(2, 100, cleanups);
    const io = Object.assign(new Error(`EIO: i/o error, read '${root}/${rows[1]?.path}'`), { code: 'EIO' });
    const digest = LicenseFileStore.prototype.digest;
    vi.spyOn(LicenseFileStore.prototype, 'digest').mockImplementation(function (
      this: LicenseFileStore,
      file,
    ) {
      return file.path === rows[1]?.path ? Promise.reject(io) : digest.call(this, file);
    });
    const target = new RestJsonTarget(
      'province',
      restConfig('http://127.0.0.1:9/api', { licenseFiles: { send: 'base64' } }),
    );
    cleanups.push(() => target.close());

    const error = await attachLicenseFiles(ledger, target, items, root).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(
      `deliver: license file ${rows[1]?.path} of lic-000002 version 1 could not be read for target province (EIO); not sent, tried again`,
    );
    expect([error.code, error.retryable]).toEqual([ErrorCodes.LEDGER, true]);
    expect(error.context).toMatchObject({ target: 'province', path: rows[1]?.path, unsent: true });
    expect(error.cause).toBe(io);
  });
});
