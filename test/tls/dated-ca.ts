/**
 * A self-signed CA certificate with set start and end times, for the certificate watch's tests:
 * `openssl req -x509 -days` starts a certificate now, and a renewed root installed before its start
 * needs one that starts later. Made with `openssl ca -selfsign -startdate -enddate` (OpenSSL 3.0
 * has no `-not_before`); the key is EC P-256, made each run in `dir`.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM of a CA `CN=<name>` valid from `start` to `end` (`YYMMDDHHMMSSZ`), made in `dir`. */
export async function datedCa(dir: string, name: string, start: string, end: string): Promise<string> {
  const file = (ext: string) => join(dir, `${name}.${ext}`);
  await writeFile(file('index'), '');
  await writeFile(file('serial'), '01\n');
  await writeFile(
    file('cnf'),
    [
      '[ca]',
      'default_ca = d',
      '[d]',
      `database = ${file('index')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${file('serial')}`,
      'default_md = sha256',
      'policy = p',
      'unique_subject = no',
      'x509_extensions = x',
      '[p]',
      'commonName = supplied',
      '[x]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign',
      '',
    ].join('\n'),
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', [
    'req',
    '-new',
    ...ec,
    '-keyout',
    file('key'),
    '-out',
    file('csr'),
    '-subj',
    `/CN=${name}`,
  ]);
  await run('openssl', [
    'ca',
    '-batch',
    '-selfsign',
    '-notext',
    '-config',
    file('cnf'),
    '-keyfile',
    file('key'),
    '-in',
    file('csr'),
    '-out',
    file('pem'),
    '-startdate',
    start,
    '-enddate',
    end,
  ]);
  return readFile(file('pem'), 'utf8');
}
