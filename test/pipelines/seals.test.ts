// Reading a seal for `seal show|verify`: a file path needs no config; a name is looked up in the
// config; a file that is not a seal is refused with the file named.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { readSeal } from '../../pipelines/seals.js';
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
