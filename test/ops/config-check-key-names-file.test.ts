// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax, named in test titles and messages.
/**
 * `config check` refuses a local-sm2 signer's key it cannot use with the signer's own message,
 * which names the file the key was read from (keyFile, or a `key: "${file:…}"` reference). Before,
 * it said 'signer district-seal: private key: not an SM2 key: …' with no file: where the signer,
 * once started, named it, the check a person runs first left them to find it.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { parseConfig } from '../../config/loader.js';
import { checkConfigFiles } from '../../pipelines/config-check.js';
import { makeTempDir, openssl } from '../signers/helpers.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
const PASSPHRASE = 'seal passphrase 4711';

let dir: string;
let cleanup: () => void;
const at = (f: string) => join(dir, f);

beforeAll(() => {
  ({ dir, cleanup } = makeTempDir());
  const r = openssl(
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'p256.pem'],
    dir,
  );
  if (r.status !== 0) throw new Error(`openssl genpkey failed: ${r.output}`);
  writeFileSync(at('locked.pem'), generateSm2KeyPair({ passphrase: PASSPHRASE }).privateKeyPem);
  for (const f of ['p256.pem', 'locked.pem']) chmodSync(at(f), 0o600);
});
afterAll(() => cleanup());

/** The problems config check finds at signer district-seal, configured by `signerLine`. */
async function signerProblems(name: string, signerLine: string, env: Record<string, string> = {}) {
  const file = join(dir, `${name}.yaml`);
  const text = [
    'ledger: { url: "sqlite://./ledger.db" }',
    `catalog: ${join(DEMO, 'catalog')}`,
    'signers:',
    `  district-seal: ${signerLine}`,
    '',
  ].join('\n');
  writeFileSync(file, text);
  const problems = await checkConfigFiles(parseConfig(text, { file, env }) as never);
  return problems.filter((p) => p.path.startsWith('signers.district-seal'));
}

describe('config check: a local-sm2 key it cannot use names its file', () => {
  it('a P-256 key in keyFile', async () => {
    const problems = await signerProblems(
      'p256',
      `{ kind: local-sm2, keyFile: ${at('p256.pem')}, sealId: S1, workers: 0 }`,
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'signers.district-seal.keyFile',
        `signer district-seal: keyFile ${at('p256.pem')}: private key: not an SM2 key: expected curve 1.2.156.10197.1.301, got 1.2.840.10045.3.1.7 (NIST P-256, prime256v1)`,
      ],
    ]);
  });

  it('a wrong passphrase for a key read through key: ${file:…}', async () => {
    const problems = await signerProblems(
      'locked',
      `{ kind: local-sm2, key: "\${file:${at('locked.pem')}}", passphrase: "\${env:SEAL_PASS}", sealId: S1, workers: 0 }`,
      { SEAL_PASS: 'not it' },
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'signers.district-seal.key',
        `signer district-seal: key \${file:${at('locked.pem')}}: private key: cannot decrypt: wrong passphrase`,
      ],
    ]);
    expect(problems[0]?.message).not.toContain('not it');
  });
});
