/**
 * `licbridge run` with a front-db target whose `exchangeStatus.reasonColumn` the exchange table
 * does not have: the run exits 2 as for any config problem, naming the target, the table and the
 * column, before anything is read, queued or delivered — to this target or to the others; and
 * `licbridge worker` does not start.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import knexModule from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

/**
 * The first command of this file's process loads every licbridge module (in process: transformed
 * and evaluated anew), most of its time: 3 to 8 s on an idle or busy machine, 14 to 29 s with three
 * other processes each taking a core, past 60 s under heavier load. Each case may be the first (a
 * case run alone). The command's own limit comes first: a run stopped by the case's limit went on in
 * the background, and the sockets it opened were counted as the next case's, left open.
 */
const COMMAND_MS = 170_000;
const CASE_MS = 180_000;

describe('run with a front-db reason column the exchange table lacks', () => {
  let ws: DemoWorkspace;
  let front: ReturnType<typeof knexModule>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5, seed: 11 });
    front = knexModule({
      client: 'better-sqlite3',
      connection: { filename: join(ws.dir, 'data', 'front.db') },
      useNullAsDefault: true,
    });
    await ensureExchangeTable(front, 'UP_LIC_DATA');
    await front.schema.alterTable('UP_LIC_DATA', (t) => t.string('EXCHANGE_MSG', 200));
    const config = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      `${config.replace('targets: [province]', 'targets: [province, city-front]')}  city-front:
    kind: front-db
    client: sqlite
    path: ./data/front.db
    dataSource: 11370211MB12345672
    exchangeStatus: { accepted: ["1"], rejected: ["9"], reasonColumn: EXCHANGE_MESAGE }
`,
    );
  });
  afterAll(async () => {
    await front?.destroy();
    await ws?.cleanup();
  });

  it(
    'exits 2 naming the target, table and column, and delivers nothing anywhere',
    async () => {
      const r = await licbridge(['run', 'food-business-licenses', '--config', ws.configFile], {
        timeoutMs: COMMAND_MS,
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        'target city-front: exchange table UP_LIC_DATA has no column `EXCHANGE_MESAGE`',
      );
      expect(r.stderr).toContain('did you mean `EXCHANGE_MSG`?');
      expect(await front('UP_LIC_DATA').count({ n: '*' })).toEqual([{ n: 0 }]);
      expect(ws.simulator.licenses()).toEqual([]);
    },
    CASE_MS,
  );

  it(
    'keeps licbridge worker from starting too, instead of failing every job of the pipeline',
    async () => {
      const r = await licbridge(['worker', '--config', ws.configFile], { timeoutMs: COMMAND_MS });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        'target city-front: exchange table UP_LIC_DATA has no column `EXCHANGE_MESAGE`',
      );
    },
    CASE_MS,
  );
});
