// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
// `licbridge seal csr` reads a signer's key given as `key: "${file:…}"` (read by the config
// loader) with the mode check the signer makes: a key others can read is refused, naming the file
// and its mode, and no request is made from it; chmod 600, the same key gives a request.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { sealRequest } from '../../adapters/signers/local-sm2/seal-keys.js';
import { loadConfig } from '../../config/loader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir } from './helpers.js';

const pair = generateSm2KeyPair();
const SUBJECT = { organization: '青岛西海岸新区市场监督管理局', creditCode: '11370211MB12345672' };

async function signerFrom(dir: string, keyFile: string): Promise<LocalSm2SignerConfig> {
  const file = join(dir, 'licbridge.yaml');
  writeFileSync(
    file,
    `ledger: { url: "sqlite://:memory:" }
catalog: ./catalog
signers:
  district-seal: { kind: local-sm2, key: "\${file:./${keyFile}}", sealId: "3702110000001", workers: 0 }
`,
  );
  const config = await loadConfig({ file, env: {} });
  return config.signers['district-seal'] as LocalSm2SignerConfig;
}

describe('seal csr: key "${file:…}" gets the key-file mode check', () => {
  let dir: string;
  let cleanup: () => void;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'seal.key.pem'), pair.privateKeyPem);
  });
  afterAll(() => cleanup());

  it('refuses a 0644 key, naming the file and its mode, never the key', async () => {
    chmodSync(join(dir, 'seal.key.pem'), 0o644);
    const signer = await signerFrom(dir, 'seal.key.pem');
    let err: unknown;
    try {
      sealRequest('district-seal', signer, SUBJECT);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
    expect((err as LicbridgeError).message).toBe(
      `signer district-seal: key \${file:} ${join(dir, 'seal.key.pem')}: open to group or others (mode 0644); run chmod 600 on it`,
    );
  });

  it('makes the request from the same key once it is chmod 600', async () => {
    chmodSync(join(dir, 'seal.key.pem'), 0o600);
    const csr = sealRequest('district-seal', await signerFrom(dir, 'seal.key.pem'), SUBJECT);
    expect(csr.pem).toContain('-----BEGIN CERTIFICATE REQUEST-----');
  });
});
