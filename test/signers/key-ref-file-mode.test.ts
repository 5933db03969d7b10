// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
// A seal key given as `key: "${file:…}"` is read by the config loader, not by the signer; the
// file still gets the mode check `keyFile:` has: a key others can read is refused before the first
// signature, with a message naming the file and its mode and never the key.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { loadConfig } from '../../config/loader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir } from './helpers.js';

const pair = generateSm2KeyPair();
// The key's base64 body, so a message that echoed the key in any form is caught.
const keyBody = pair.privateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----'));

function configText(keyValue: string): string {
  return `ledger: { url: "sqlite://:memory:" }
catalog: ./catalog
signers:
  district-seal: { kind: local-sm2, key: "${keyValue}", sealId: "3702110000001", workers: 0 }
`;
}

async function signerFrom(dir: string, keyValue: string): Promise<LocalSm2Signer> {
  const file = join(dir, `licbridge-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, configText(keyValue));
  const config = await loadConfig({ file, env: {} });
  return new LocalSm2Signer('district-seal', config.signers['district-seal'] as LocalSm2SignerConfig);
}

async function openError(signer: LocalSm2Signer): Promise<LicbridgeError> {
  try {
    await signer.open();
  } catch (e) {
    expect(e).toBeInstanceOf(LicbridgeError);
    return e as LicbridgeError;
  } finally {
    await signer.close();
  }
  throw new Error('open() succeeded');
}

describe('key: "${file:…}" gets the key-file mode check', () => {
  let dir: string;
  let cleanup: () => void;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'open.key.pem'), pair.privateKeyPem);
    chmodSync(join(dir, 'open.key.pem'), 0o644);
    writeFileSync(join(dir, 'closed.key.pem'), pair.privateKeyPem, { mode: 0o600 });
    chmodSync(join(dir, 'closed.key.pem'), 0o600);
  });
  afterAll(() => cleanup());

  it('refuses a 0644 key named by a relative ${file:} reference, naming the file and mode', async () => {
    const err = await openError(await signerFrom(dir, '${file:./open.key.pem}'));
    expect(err.code).toBe(ErrorCodes.SIGNER_KEY);
    expect(err.message).toContain('signer district-seal');
    expect(err.message).toContain(join(dir, 'open.key.pem'));
    expect(err.message).toContain('open to group or others (mode 0644)');
    expect(err.message).not.toContain('PRIVATE KEY');
    for (const line of keyBody) expect(err.message).not.toContain(line);
  });

  it('refuses the same file named by an absolute path', async () => {
    const err = await openError(await signerFrom(dir, `\${file:${join(dir, 'open.key.pem')}}`));
    expect(err.message).toContain(`${join(dir, 'open.key.pem')}: open to group or others (mode 0644)`);
  });

  it('opens and signs with the same key once it is chmod 600', async () => {
    const signer = await signerFrom(dir, '${file:./closed.key.pem}');
    try {
      await signer.open();
      const [record] = await signer.sign([Buffer.from('probe')]);
      expect(record?.sealId).toBe('3702110000001');
      expect(signer.publicKeyPem()).toBe(pair.publicKeyPem);
    } finally {
      await signer.close();
    }
  });

  it('leaves a literal `$${file:…}` alone: it is text, not a file the signer read', async () => {
    const file = join(dir, 'literal.yaml');
    writeFileSync(file, configText('$${file:./open.key.pem}'));
    const config = await loadConfig({ file, env: {} });
    expect((config.signers['district-seal'] as LocalSm2SignerConfig).keyRefFiles).toBeUndefined();
  });
});
