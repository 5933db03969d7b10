/**
 * A pipeline named by the operator (`quarantine list --pipeline`, `verify --pipeline`) is looked up
 * among the config's own pipelines. The use cases asked `name in config.pipelines`, right only for
 * a config whose maps have no prototype, as the loader makes them (bca68283): given a config built
 * otherwise (a program calling them, a test), `toString` or `constructor` passed as configured and
 * the ledger was read for a pipeline that does not exist. Each is refused, naming the known ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { quarantineWorklist } from '../../pipelines/quarantine-list.js';
import { verifySignatures } from '../../pipelines/verify/signatures.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';

const logger = createLogger({ level: 'silent' });
let dir: string;
let ledger: Ledger;
let config: Readonly<Config>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-pipeline-name-own-'));
  const file = join(dir, 'ledger.db');
  const url = `sqlite://${file}`;
  ledger = await openSqliteLedger(file, { logger });
  // Maps with the prototype every object has, as a config built in code holds them.
  config = {
    file: join(dir, 'licbridge.yaml'),
    ledger: { url },
    pipelines: { food: {} },
    signers: {},
    trust: {},
  } as unknown as Readonly<Config>;
});
afterAll(async () => {
  await ledger?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a pipeline name every object inherits', () => {
  it.each(['toString', 'constructor'])('quarantine list --pipeline %s is refused', async (name) => {
    await expect(quarantineWorklist(config, { pipeline: name })).rejects.toThrow(
      `quarantine: unknown pipeline \`${name}\`; configured: food`,
    );
  });

  it.each(['toString', 'constructor'])('verify --pipeline %s is refused', async (name) => {
    await expect(verifySignatures(config, ledger, { pipeline: name }, logger)).rejects.toThrow(
      `verify: no pipeline \`${name}\` in the config or the ledger; the config's pipelines: food`,
    );
  });
});
