/**
 * `audit config` lists each recorded configuration's parts added, removed and changed since the
 * one before. A part named like an object's member (`toString`, `constructor`, `__proto__`: part
 * ids are names the config chose) was looked up with `in` on a record with a prototype, so on the
 * first entry it was not added but changed, and `__proto__` was dropped from the parts whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { configChangeList } from '../../pipelines/config-audit-list.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';

const logger = createLogger({ level: 'silent' });
const d = (c: string) => c.repeat(64);

describe('audit config: parts named like an object member', () => {
  let dir: string;
  let config: Readonly<Config>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-config-part-names-'));
    const file = join(dir, 'ledger.db');
    const url = `sqlite://${file}`;
    config = { ledger: { url } } as unknown as Readonly<Config>;
    const ledger = await openSqliteLedger(file, { logger });
    try {
      const record = (digest: string, parts: Record<string, string>) =>
        ledger.configChanges.record({ actor: 'operator:auditor-3', digest, parts });
      await record(d('a'), { 'pipeline:food': d('1'), toString: d('2') });
      await record(d('b'), { 'pipeline:food': d('1'), constructor: d('3') });
      // An own `__proto__` member, as JSON.parse makes one.
      await record(d('c'), JSON.parse(`{"pipeline:food":"${d('4')}","__proto__":"${d('5')}"}`));
    } finally {
      await ledger.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists them added, removed and changed as any other part', async () => {
    const list = await configChangeList(config, logger);
    expect(
      list.map((e) => ({
        parts: Object.keys(e.parts).sort(),
        added: [...e.added].sort(),
        removed: e.removed,
        changed: e.changed,
      })),
    ).toEqual([
      {
        parts: ['pipeline:food', 'toString'],
        added: ['pipeline:food', 'toString'],
        removed: [],
        changed: [],
      },
      { parts: ['constructor', 'pipeline:food'], added: ['constructor'], removed: ['toString'], changed: [] },
      {
        parts: ['__proto__', 'pipeline:food'],
        added: ['__proto__'],
        removed: ['constructor'],
        changed: ['pipeline:food'],
      },
    ]);
    expect(JSON.parse(JSON.stringify(list[2]?.parts))).toEqual(
      JSON.parse(`{"pipeline:food":"${d('4')}","__proto__":"${d('5')}"}`),
    );
  });
});
