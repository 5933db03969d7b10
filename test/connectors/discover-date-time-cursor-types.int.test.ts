/**
 * Discovery suggested as a cursor any column whose type's name held `date`, `time` or `rowversion`:
 * a PostgreSQL enum type `update_stage` (up-DATE), a MariaDB `enum('new','updated','closed')`,
 * whose members the catalog writes into the type. Such a cursor takes no lag window and no clock
 * bounds it (resolve-stream.ts `cursorLag`), and on PostgreSQL it orders by the enum's order, not
 * by when a row changed; suggested first, it went into the draft mapping's stream. Discovery now
 * asks the dialect which types are its date/time types (`dateTimeTypes`) and which are counters
 * (`settledBound`), as a run does; a column is still suggested by its name.
 */
import { describe, expect, it } from 'vitest';
import { mariadbDateNamedEnumSource, pgDateNamedEnumSource } from '../support/date-named-types.js';

describe('postgres discovery: an enum type named with `date`', () => {
  const pg = pgDateNamedEnumSource();

  it('is not suggested as a cursor; the date and timestamp columns are', async () => {
    const [table] = await pg.source.discover({ table: 't_xk' });
    expect(table?.candidateCursors).toEqual(['gxsj', 'fzrq', 'bgrq']);
  });
});

const legacy = mariadbDateNamedEnumSource();

describe('mariadb discovery: an ENUM or SET one of whose members holds `date` or `time`', () => {
  it('is not suggested as a cursor; the DATETIME, DATE and TIMESTAMP columns are', async () => {
    const [table] = await legacy.source.discover({ table: 'T_ZT' });
    expect(table?.candidateCursors).toEqual(['LAST_EDIT', 'XG', 'FZ']);
  });
});
