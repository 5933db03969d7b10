// Reading a seal for `seal show|verify`: a file path needs no config; a name is looked up in the
// config; a file that is not a seal is refused with the file named. A seal key's request: one
// issuing unit per seal, taken from the pipelines that use the signer or from --for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { readSeal, sealCertificateRequest } from '../../pipelines/seals.js';
import { makeTempDir } from '../signers/helpers.js';

describe('readSeal', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'not-a-seal.esl'), 'hello');
  });
  afterAll(() => cleanup());

  const config = (seals: Record<string, { file: string; signer: string }>) => async () =>
    ({ seals }) as unknown as Config;

  it('reads a file path without loading the config', async () => {
    const file = join(dir, 'not-a-seal.esl');
    const noConfig = async (): Promise<Config> => {
      throw new Error('config loaded');
    };
    const err = await readSeal(file, noConfig).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
    expect((err as Error).message).toContain(`seal: ${file} is not a GB/T 38540 v4 seal`);
  });

  it('resolves a seal of the config to its file', async () => {
    const file = join(dir, 'not-a-seal.esl');
    const err = await readSeal('unit-seal', config({ 'unit-seal': { file, signer: 'unit' } })).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toContain(`seal: ${file} is not a GB/T 38540 v4 seal`);
  });

  it('names an argument that is neither a file nor a seal of the config', async () => {
    const err = await readSeal('nowhere', config({})).catch((e: unknown) => e);
    expect((err as LicbridgeError).code).toBe(ErrorCodes.USAGE);
    expect((err as Error).message).toBe('seal: `nowhere` is neither a seal file nor a seal of the config');
  });

  it('names a configured seal whose file is missing', async () => {
    const file = join(dir, 'absent.esl');
    const err = await readSeal('unit-seal', config({ 'unit-seal': { file, signer: 'unit' } })).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(`seal: cannot read ${file}: ENOENT`);
  });
});

describe('sealCertificateRequest refuses a subject it cannot tell', () => {
  const issuer = (code: string) => ({ name: `Unit ${code}`, code });
  const config = (pipelines: Record<string, { signer: string; issuer: { name: string; code: string } }>) =>
    ({
      signers: {
        unit: { kind: 'local-sm2', keyFile: '/nowhere.pem', sealId: 'unit' },
        remote: { kind: 'remote', sealId: 'remote' },
      },
      pipelines,
    }) as unknown as Config;
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('names the signers of the config for an unknown signer', () => {
    expect(message(() => sealCertificateRequest(config({}), 'other', undefined))).toBe(
      'seal: unknown signer `other` (defined: unit, remote)',
    );
  });

  it('leaves a signing server signer to the server', () => {
    expect(message(() => sealCertificateRequest(config({}), 'remote', undefined))).toContain(
      'seal: signer remote is `remote`',
    );
  });

  it('asks for --for when no pipeline uses the signer', () => {
    expect(message(() => sealCertificateRequest(config({}), 'unit', undefined))).toContain(
      'seal csr: no pipeline uses signer unit yet',
    );
    expect(message(() => sealCertificateRequest(config({}), 'unit', 'missing'))).toBe(
      'seal csr: unknown pipeline `missing`',
    );
    // The name as given on the command line, shown inert as other commands show it.
    expect(message(() => sealCertificateRequest(config({}), 'unit', 'mis\u001b[2Jsing\n'))).toBe(
      'seal csr: unknown pipeline `missing`',
    );
  });

  it('refuses a signer that seals for two issuing units', () => {
    const two = config({
      a: { signer: 'unit', issuer: issuer('A1') },
      b: { signer: 'unit', issuer: issuer('B2') },
    });
    expect(message(() => sealCertificateRequest(two, 'unit', undefined))).toBe(
      'seal csr: signer unit seals for 2 issuing units (A1, B2); one seal belongs to one unit',
    );
  });
});
