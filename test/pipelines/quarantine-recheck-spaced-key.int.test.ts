/**
 * A row whose key is stored with a trailing space (`'JY… '` in a VARCHAR/TEXT column), quarantined by
 * the mapping: a run keys it trimmed, and on a database that compares without PAD SPACE the re-read
 * by the trimmed key alone never found it, so fixing the mapping left it quarantined for good
 * (keyed-reads.ts `spellingsOf` looks the key up with one to three trailing spaces too).
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { BACKENDS } from '../ledger/backends.js';
import {
  mappingDates,
  PIPELINE,
  pipelineState,
  recheckWorkspace,
  silent,
  workspacesPerTest,
} from './quarantine-recheck-fixture.js';

describe.each(BACKENDS)(
  'a row keyed with a trailing space, quarantined by the mapping ($name)',
  (backend) => {
    const workspaces = workspacesPerTest();

    it('is issued by the next run once the mapping is fixed', async () => {
      const ws = workspaces.keep(await recheckWorkspace(backend));
      const db = new Database(ws.legacyDb);
      db.prepare("UPDATE T_SPXK_XKZ SET XKZBH = rtrim(XKZBH) || ' ', FZRQ = '2021.3.15' WHERE ID = 4").run();
      db.prepare('CREATE INDEX IX_T_SPXK_XKZ_XKZBH ON T_SPXK_XKZ (XKZBH)').run();
      const { XKZBH } = db.prepare('SELECT XKZBH FROM T_SPXK_XKZ WHERE ID = 4').get() as { XKZBH: string };
      db.close();
      const key = XKZBH.trimEnd();
      const yaml = await readFile(ws.configFile, 'utf8');
      await writeFile(ws.configFile, yaml.replace('key: ID', 'key: XKZBH'));
      const config = await loadConfig({ file: ws.configFile, env: {} });
      await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
      expect((await pipelineState(ws)).open).toEqual([[key, ['LB_MAP_DATE']]]);

      const fixed = await mappingDates(ws, 'yyyyMMdd, yyyy.M.d');
      const [run] = await runPipelines(fixed, { pipelines: [PIPELINE], full: false, logger: silent });
      expect(run).toMatchObject({ read: 1, created: 1, quarantined: 0 });
      expect((await pipelineState(ws)).open).toEqual([]);
    }, 120_000);
  },
);
