/**
 * The draft mapping lists every column as a commented rule for the engineer to uncomment. A date
 * or time column of a database server comes from its driver as a date, not text: a rule passing it
 * through `trim` quarantined every row with LB_MAP_TYPE ('expected text, got a date') once
 * uncommented. Its rule now reads the day with `date`; a text-stored source's (SQLite, export
 * files) keeps `trim`, its dates being text. The license's own date fields (issueDate, validFrom,
 * validTo), suggested as `[trim, { date: … }]`, failed so too once pointed at a date column: `date`
 * trims text itself, and is suggested alone.
 */
import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../connectors/source.js';
import { compileMappingText } from '../../mappings/compile.js';
import { draftMapping } from '../../pipelines/discover.js';

const table: TableInfo = {
  name: 'T_XKZ',
  columns: [
    { name: 'BH', type: 'char(20)', nullable: false },
    { name: 'GXSJ', type: 'datetime', nullable: true },
    { name: 'FZRQ', type: 'timestamp without time zone', nullable: true },
  ],
  rowCount: 2,
  candidateKeys: ['BH'],
  candidateCursors: ['GXSJ', 'FZRQ'],
};

/** The draft with the rules of `columns` uncommented. */
function uncommented(draft: string, columns: string[]): string {
  return draft
    .split('\n')
    .map((line) =>
      columns.some((c) => line.includes(`from: "${c}"`)) ? line.replace(/^ {2}# /, '  ') : line,
    )
    .join('\n');
}

describe('discover: the draft rule of a date/time column', () => {
  it('maps a driver date once uncommented (a database server)', () => {
    const text = uncommented(draftMapping('legacy', table, 'mysql'), ['GXSJ', 'FZRQ']);
    const result = compileMappingText(text, '/maps/draft.yaml').map({
      BH: 'A001',
      GXSJ: new Date(Date.UTC(2021, 2, 5, 10, 11, 12)),
      FZRQ: null,
    });
    expect(result).toMatchObject({ ok: true, fields: { surface: { gxsj: '2021-03-05' } } });
  });

  it('the license date fields the draft suggests read a driver date, and date text as before', () => {
    // issueDate, validFrom and validTo, pointed at the date column as the engineer would.
    const text = draftMapping('legacy', table, 'oracle')
      .split('\n')
      .map((line) =>
        /^ {2}# (issueDate|validFrom|validTo):/.test(line) ? line.replace(/^ {2}# /, '  ') : line,
      )
      .join('\n')
      .replaceAll('from: COLUMN', 'from: GXSJ');
    const mapping = compileMappingText(text, '/maps/draft.yaml');
    const day = { issueDate: '2021-03-05', validFrom: '2021-03-05', validTo: '2021-03-05' };
    expect(mapping.map({ BH: 'A001', GXSJ: new Date(Date.UTC(2021, 2, 5, 10, 11, 12)) })).toMatchObject({
      ok: true,
      fields: day,
    });
    // A CHAR(8) date column of another source, as padded.
    expect(mapping.map({ BH: 'A001', GXSJ: '20210305  ' })).toMatchObject({ ok: true, fields: day });
  });

  it('keeps trim for a source whose dates are text (SQLite)', () => {
    const text = uncommented(draftMapping('legacy', table, 'sqlite'), ['GXSJ']);
    expect(text).toContain('surface.gxsj: { from: "GXSJ", transform: [trim] }');
    const result = compileMappingText(text, '/maps/draft.yaml').map({
      BH: 'A001',
      GXSJ: ' 2021-03-05 10:11:12 ',
    });
    expect(result).toMatchObject({ ok: true, fields: { surface: { gxsj: '2021-03-05 10:11:12' } } });
  });

  it('suggests no trim for a boolean column, which a server hands over as true or false', () => {
    for (const [kind, type] of [
      ['mssql', 'bit'],
      ['postgres', 'boolean'],
    ] as const) {
      const flags = { ...table, columns: [...table.columns, { name: 'SFYX', type, nullable: true }] };
      const text = uncommented(draftMapping('legacy', flags, kind), ['SFYX']);
      const result = compileMappingText(text, '/maps/draft.yaml').map({ BH: 'A001', SFYX: true });
      expect(result, kind).toMatchObject({ ok: true, fields: { surface: { sfyx: true } } });
    }
  });
});
