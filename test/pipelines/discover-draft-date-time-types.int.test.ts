/**
 * The draft mapping suggested the `date` transform for any column of a database server whose type's
 * name held `date`: a PostgreSQL enum type `update_stage` (up-DATE), a MariaDB
 * `enum('new','updated','closed')` or `set('dated','timed')`, whose members the catalog writes into
 * the type. The driver hands such a column over as text, which `date` refuses (every row
 * quarantined once the rule is uncommented). The draft now asks the dialect which types are its
 * date/time types (dialect.ts `dateTimeTypes`), as discovery's cursor candidates do
 * (discover-date-time-cursor-types.int.test.ts); its date and timestamp columns keep `date`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConnector } from '../../connectors/source.js';
import { compileMappingText } from '../../mappings/compile.js';
import { writeDraftMapping } from '../../pipelines/discover.js';
import { mariadbDateNamedEnumSource, pgDateNamedEnumSource } from '../support/date-named-types.js';

const DATE = 'transform: [{ date: [yyyy-MM-dd] }]';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-draft-types-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The draft of `table` as written by `discover --draft-mapping`, and each column's rule line. */
async function draftOf(source: SourceConnector, table: string, kind: string) {
  const tables = await source.discover({ table });
  const path = await writeDraftMapping('legacy', tables, join(dir, `${kind}-${table}.yaml`), true, kind);
  const text = await readFile(path, 'utf8');
  const rule = (column: string) => text.split('\n').find((l) => l.includes(`from: "${column}"`)) ?? '';
  return { text, rule };
}

/** The draft with the rules of `columns` uncommented. */
function uncommented(draft: string, columns: string[]): string {
  return draft
    .split('\n')
    .map((line) =>
      columns.some((c) => line.includes(`from: "${c}"`)) ? line.replace(/^ {2}# /, '  ') : line,
    )
    .join('\n');
}

describe('postgres draft mapping: an enum type named with `date`', () => {
  const pg = pgDateNamedEnumSource();

  it('is suggested trim, and maps its text once uncommented; the date and timestamp columns date', async () => {
    const { text, rule } = await draftOf(pg.source, 't_xk', 'postgres');
    expect(rule('jd')).toContain('transform: [trim]');
    for (const c of ['gxsj', 'fzrq', 'bgrq']) expect(rule(c), c).toContain(DATE);

    const mapping = compileMappingText(uncommented(text, ['jd', 'fzrq']), '/maps/draft.yaml');
    expect(mapping.map({ id: 1, jd: 'issued', fzrq: new Date(Date.UTC(2021, 2, 5)) })).toMatchObject({
      ok: true,
      fields: { surface: { jd: 'issued', fzrq: '2021-03-05' } },
    });
  });
});

const legacy = mariadbDateNamedEnumSource();

describe('mariadb draft mapping: an ENUM or SET one of whose members holds `date`', () => {
  it('is suggested trim; the DATETIME, DATE and TIMESTAMP columns date', async () => {
    const { text, rule } = await draftOf(legacy.source, 'T_ZT', 'mysql');
    expect(rule('ZT')).toContain('transform: [trim]');
    expect(rule('BB')).toContain('transform: [trim]');
    for (const c of ['LAST_EDIT', 'FZ', 'XG']) expect(rule(c), c).toContain(DATE);

    const mapping = compileMappingText(uncommented(text, ['ZT', 'BB']), '/maps/draft.yaml');
    expect(mapping.map({ ID: 1, ZT: 'updated', BB: 'dated,timed' })).toMatchObject({
      ok: true,
      fields: { surface: { zt: 'updated', bb: 'dated,timed' } },
    });
  });
});
