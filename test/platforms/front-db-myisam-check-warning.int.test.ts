/**
 * `config check --connect` on a MySQL or MariaDB exchange table of an engine without transactions
 * (MyISAM): the check reads the engine as opening does, and said nothing, where opening the target
 * warns that the exchange system sees each row before licbridge has checked it. The check is where
 * a person setting up a target looks first: it warns there too, naming the table and its engine,
 * and passes; an InnoDB table is checked without a word.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { loadConfig } from '../../config/loader.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { lineLogger } from '../support/log-lines.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';

const MYISAM = 'UP_LIC_MYISAM_CHECK';
const INNODB = 'UP_LIC_INNODB_CHECK';

interface Line {
  level: number;
  msg: string;
  table?: string;
  engine?: string;
}

describe('front-db config check --connect on an exchange table without transactions', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_myisam_check', async (place) => {
    await cityExchangeTable(place.city, MYISAM, `alter table ${MYISAM} engine = MyISAM`);
    await cityExchangeTable(place.city, INNODB, `alter table ${INNODB} engine = InnoDB`);
  });
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-myisam-check-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const warnings = (lines: string[]): Line[] =>
    lines.map((l) => JSON.parse(l) as Line).filter((l) => l.level >= 40);

  const check = async (table: string): Promise<Line[]> => {
    const { logger, lines } = lineLogger('info');
    const target = new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, table), { logger });
    try {
      await target.checkConnection();
    } finally {
      await target.close();
    }
    return warnings(lines);
  };

  it('warns, naming the table and its engine, and passes', async () => {
    const said = await check(MYISAM);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ table: MYISAM, engine: 'MyISAM' });
    expect(said[0]?.msg).toContain(`target city: exchange table ${MYISAM} is of engine MyISAM`);
    expect(said[0]?.msg).toContain('keeps no transactions');
  });

  it('says nothing for a table with transactions', async () => {
    expect(await check(INNODB)).toEqual([]);
  });

  it('reaches the logger licbridge config check --connect is given, without a problem', async () => {
    const file = join(dir, 'licbridge.yaml');
    await writeFile(
      file,
      `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: myisam-check }
catalog: ./catalog
sources: {}
pipelines: {}
signers: {}
targets:
  city:
    kind: front-db
    client: mysql
    connection: ${JSON.stringify(scratch.place.connection)}
    table: ${MYISAM}
    dataSource: "11370211MB1234567X"
`,
    );
    const { logger, lines } = lineLogger('info');

    const problems = await checkConnections(await loadConfig({ file, cwd: dir }), 5000, logger);

    expect(problems.filter((p) => p.path.startsWith('targets.'))).toEqual([]);
    const said = warnings(lines).filter((l) => l.table === MYISAM);
    expect(said).toHaveLength(1);
    expect(said[0]?.msg).toContain(`exchange table ${MYISAM} is of engine MyISAM`);
  });
});
