/**
 * Reading a private key file, refusing one that others can read — as OpenSSH refuses an
 * "UNPROTECTED PRIVATE KEY FILE": a seal key readable by group or others is a leaked seal.
 */
import { readFileSync, statSync } from 'node:fs';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { LocalSm2SignerConfig } from './config.js';
import type { KeyOrigin } from './keys.js';

function keyFileError(
  signer: string,
  path: string,
  detail: string,
  cause?: unknown,
  field = 'keyFile',
): LicbridgeError {
  return new LicbridgeError(ErrorCodes.SIGNER_KEY, `signer ${signer}: ${field} ${path}: ${detail}`, {
    context: { signer, file: path },
    cause,
  });
}

/**
 * Checks that `path` is a regular file with no group/other access. `field` names how the config
 * points at it (`keyFile`, or `key ${file:…}`), so the message says which setting to fix.
 */
export function checkKeyFileMode(signer: string, path: string, field = 'keyFile'): void {
  let mode: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw keyFileError(signer, path, 'not a regular file', undefined, field);
    mode = st.mode & 0o777;
  } catch (e) {
    if (e instanceof LicbridgeError) throw e;
    throw keyFileError(
      signer,
      path,
      `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      e,
      field,
    );
  }
  // POSIX permission bits only; Windows reports 0o666 for every file and has no such check.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw keyFileError(
      signer,
      path,
      `open to group or others (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 on it`,
      undefined,
      field,
    );
  }
}

/** Reads the PEM text of `path` after checking it is a regular file with no group/other access. */
export function readKeyFile(signer: string, path: string): string {
  checkKeyFileMode(signer, path);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw keyFileError(signer, path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, e);
  }
}

/**
 * The key PEM of a local-sm2 signer's config, every file it came from mode-checked: `key` (a
 * `${file:…}` reference the config loader read, its files in `keyRefFiles`), else `keyFile`
 * read here; undefined when neither is set. The signer and the seal commands (csr, install, the
 * checks of `config check` and `status`) read a key through this one function, so none reads a key
 * others can read.
 */
export function configuredKeyPem(
  signer: string,
  config: Pick<LocalSm2SignerConfig, 'key' | 'keyFile' | 'keyRefFiles'>,
): string | undefined {
  if (config.key !== undefined) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: names the config reference syntax.
    for (const path of config.keyRefFiles ?? []) checkKeyFileMode(signer, path, 'key ${file:}');
    return config.key;
  }
  if (config.keyFile !== undefined) return readKeyFile(signer, config.keyFile);
  return undefined;
}

/**
 * The file a local-sm2 signer's key PEM came from, for messages about the key: `keyFile`, or the
 * file a `key: "${file:…}"` reference read; undefined for a key written into the config.
 */
export function configuredKeyOrigin(
  config: Pick<LocalSm2SignerConfig, 'key' | 'keyFile' | 'keyRefFiles'>,
): KeyOrigin | undefined {
  if (config.key !== undefined) {
    const files = config.keyRefFiles ?? [];
    if (files.length === 0) return undefined;
    return { setting: files.map((f) => `key \${file:${f}}`).join(', '), file: files.join(', ') };
  }
  return config.keyFile === undefined
    ? undefined
    : { setting: `keyFile ${config.keyFile}`, file: config.keyFile };
}
