/**
 * A MySQL or MariaDB exchange table of an engine without transactions (MyISAM) shows each row to
 * the exchange system from its insert on, before the send has checked it: a row stored cut may be
 * picked up before it is taken out again, and a row taken before it is read back is dead-lettered
 * instead of sent again. The engine was read as the target opened, and nothing said so until a
 * delivery failed. Opening the target now warns, naming the table and its engine; an InnoDB table
 * opens without a word.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { lineLogger } from '../support/log-lines.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';

const MYISAM = 'UP_LIC_MYISAM_OPEN';
const INNODB = 'UP_LIC_INNODB_OPEN';

describe('front-db target on MariaDB: opening on an exchange table without transactions', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_myisam_open', async (place) => {
    await cityExchangeTable(place.city, MYISAM, `alter table ${MYISAM} engine = MyISAM`);
    await cityExchangeTable(place.city, INNODB, `alter table ${INNODB} engine = InnoDB`);
  });

  const open = async (table: string) => {
    const { logger, lines } = lineLogger('info');
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, table), { logger }),
    );
    await target.refuseUnfitTable();
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string; table?: string; engine?: string });
  };

  it('warns once as it opens, naming the table and its engine', async () => {
    const warnings = (await open(MYISAM)).filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ table: MYISAM, engine: 'MyISAM' });
    expect(warnings[0]?.msg).toContain(`target city: exchange table ${MYISAM} is of engine MyISAM`);
    expect(warnings[0]?.msg).toContain('keeps no transactions');
  });

  it('says nothing for a table with transactions', async () => {
    expect((await open(INNODB)).filter((l) => l.level >= 40)).toEqual([]);
  });
});
