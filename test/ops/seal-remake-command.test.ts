// The `seal make` that `licbridge status` prints for a seal to make again is one a person can run
// once its placeholders are filled in: it gives every option the command requires (`--image` and
// `--name`, the seal's registered image and name). Printed without them it failed as given,
// commander refusing it for the first required option missing.
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import type { Config } from '../../config/types.js';
import { sealAttention } from '../../pipelines/observability/seal-attention.js';
import { sealKit } from '../documents/seal-kit.js';
import { makeTempDir } from '../signers/helpers.js';

const DAY = 24 * 3600 * 1000;

describe('status: the seal make it asks for', { timeout: 60_000 }, () => {
  let cleanup: () => void;
  let message = '';
  let sealMake: Command;

  beforeAll(async () => {
    const made = makeTempDir();
    cleanup = made.cleanup;
    const kit = await sealKit(made.dir, 365);
    const config = {
      signers: { district: { ...kit.holder.config, certificate: kit.holder.certPath } },
      seals: { 'district-seal': { file: kit.sealFile, signer: 'district', status: 'active' } },
    } as unknown as Pick<Config, 'seals' | 'signers'>;
    message = sealAttention(config, new Date(Date.now() + 400 * DAY), 'Asia/Shanghai')[0]?.message ?? '';
    const program = await buildProgram(['node', 'licbridge'], true);
    const seal = program.commands.find((c) => c.name() === 'seal') as Command;
    sealMake = seal.commands.find((c) => c.name() === 'make') as Command;
  });
  afterAll(() => cleanup());

  it('gives every option seal make requires', () => {
    const command = /`(licbridge seal make [^`]*)`/.exec(message)?.[1] ?? '';
    expect(command).toMatch(/^licbridge seal make district-seal /);
    const required = sealMake.options.filter((o) => o.mandatory).map((o) => o.long as string);
    expect(required).toEqual(expect.arrayContaining(['--maker', '--image', '--name']));
    const words = command.split(' ');
    expect(required.filter((flag) => !words.includes(flag))).toEqual([]);
  });
});
