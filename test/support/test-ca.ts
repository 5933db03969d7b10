/**
 * A throwaway certificate authority for TLS tests, made with the `openssl` CLI in a temp folder:
 * a CA, then server and client certificates it issues (expired ones too: `days: -1` ends their
 * validity before it starts). Keys are EC P-256, made by the test each run; nothing is kept.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface IssuedCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM text of the certificate. */
  readonly cert: string;
  /** PEM text of the private key (encrypted when issued with a passphrase). */
  readonly key: string;
}

export interface IssueOptions {
  /** Subject common name. */
  readonly cn: string;
  /** subjectAltName entries, e.g. `DNS:localhost`, `IP:127.0.0.1`. @defaultValue none */
  readonly sans?: readonly string[];
  /** Validity in days; -1 makes an already expired certificate. @defaultValue 365 */
  readonly days?: number;
  /** A client certificate (extendedKeyUsage clientAuth) instead of a server one. */
  readonly client?: boolean;
  /** Encrypt the key (AES-256) with this passphrase. */
  readonly passphrase?: string;
}

export interface TestCa {
  readonly dir: string;
  readonly caPath: string;
  /** PEM text of the CA certificate. */
  readonly ca: string;
  issue(name: string, options: IssueOptions): Promise<IssuedCertificate>;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/** A new CA named `cn`, valid `days` (@defaultValue 365) days, in a folder of its own. */
export async function createTestCa(cn: string, days = 365, dir?: string): Promise<TestCa> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'lb-ca-')));
  const caKey = join(folder, `${cn}-ca.key`);
  const caPath = join(folder, `${cn}-ca.pem`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caPath,
    '-days',
    String(days),
    '-subj',
    `/O=licbridge test/CN=${cn}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const ca = await readFile(caPath, 'utf8');
  return {
    dir: folder,
    caPath,
    ca,
    async issue(name, options) {
      const keyPath = join(folder, `${name}.key`);
      const certPath = join(folder, `${name}.pem`);
      const csr = join(folder, `${name}.csr`);
      const ext = join(folder, `${name}.ext`);
      await run('openssl', [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        csr,
        '-subj',
        `/O=licbridge test/CN=${options.cn}`,
      ]);
      const lines = [
        'basicConstraints=CA:FALSE',
        `extendedKeyUsage=${options.client ? 'clientAuth' : 'serverAuth'}`,
        ...(options.sans && options.sans.length > 0 ? [`subjectAltName=${options.sans.join(',')}`] : []),
      ];
      await writeFile(ext, `${lines.join('\n')}\n`);
      await run('openssl', [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caPath,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-days',
        String(options.days ?? 365),
        '-out',
        certPath,
        '-extfile',
        ext,
      ]);
      if (options.passphrase) {
        await run('openssl', [
          'pkey',
          '-in',
          keyPath,
          '-out',
          `${keyPath}.enc`,
          '-aes256',
          '-passout',
          `pass:${options.passphrase}`,
        ]);
        await rename(`${keyPath}.enc`, keyPath);
      }
      return {
        certPath,
        keyPath,
        cert: await readFile(certPath, 'utf8'),
        key: await readFile(keyPath, 'utf8'),
      };
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
