/**
 * SQL Server `uniqueidentifier` keys (NEWID() primary keys). SQL Server stores a GUID's first three
 * groups little-endian and orders GUIDs by their last six bytes first: neither the text's order nor
 * its bytes'. tedious reads the sixteen bytes into the text SQL Server prints, upper-case. The key
 * is handed over as that text, its checkpoint is that text bound back as a `uniqueidentifier`, so
 * SQL Server compares it as it orders the pages: every row is read once across pages, in the
 * server's order, whatever the text's.
 *
 * No SQL Server runs here: a stand-in answers knex's mssql client with the cells tedious' own value
 * parser decodes from SQL Server's bytes (mssql-stand-in.ts), ordering and comparing as SQL Server does.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type Cell, catalogRow, readStandInPages, varcharCell } from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { readValue } = require('tedious/lib/value-parser') as {
  readValue(buf: Buffer, offset: number, metadata: unknown, options: unknown): { value: unknown };
};
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

/** A GUID's bytes as SQL Server stores and sends them: the first three groups little-endian. */
function wireBytes(text: string): Buffer {
  const hex = text.replaceAll('-', '');
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

/** A uniqueidentifier cell (GUIDN: length 16, the bytes), as tedious decodes it. */
function guidCell(colName: string, text: string): Cell {
  const metadata = { colName, type: TYPE[0x24] };
  const bytes = Buffer.concat([Buffer.from([16]), wireBytes(text)]);
  return { value: readValue(bytes, 0, metadata, {}).value, metadata };
}

/** SQL Server's uniqueidentifier order: groups E, D, C, B, A of the printed text, in that order. */
function serverOrder(a: string, b: string): number {
  const weight = (t: string) => {
    const [g1, g2, g3, g4, g5] = t.toUpperCase().split('-') as [string, string, string, string, string];
    return g5 + g4 + g3 + g2 + g1;
  };
  return weight(a) < weight(b) ? -1 : weight(a) > weight(b) ? 1 : 0;
}

// Text order and SQL Server's order disagree on these (the last group weighs most).
const KEYS = [
  '6F9619FF-8B86-D011-B42D-00C04FC964FF',
  '00000000-0000-0000-0000-010000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-000000000001',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '10000000-0000-0000-0100-000000000000',
];

/** dbo.T_XKZ keyed by ID uniqueidentifier, as SQL Server pages it. */
function table(sent: unknown[][]) {
  return (sql: string, values: unknown[]): Cell[][] => {
    if (/sys\.columns/.test(sql))
      return [catalogRow('ID', 'uniqueidentifier', 1), catalogRow('MC', 'varchar(20)')];
    if (!/T_XKZ/.test(sql) || /\[ID\] is null/.test(sql)) return [];
    sent.push(values);
    const top = /^select top/i.test(sql) ? Number(values.shift()) : KEYS.length;
    let keys = [...KEYS].sort(serverOrder);
    if (/\[ID\] > CAST\(@p1 AS uniqueidentifier\)/.test(sql)) {
      const after = String(values[0]);
      keys = keys.filter((k) => serverOrder(k, after) > 0);
    }
    return keys.slice(0, top).map((k) => [guidCell('ID', k), varcharCell('MC', `mc-${KEYS.indexOf(k)}`)]);
  };
}

describe('mssql: a uniqueidentifier key', () => {
  it('tedious reads the stored bytes as the text SQL Server prints, upper-case', () => {
    expect(guidCell('ID', KEYS[0] as string).value).toBe(KEYS[0]);
    expect(guidCell('ID', KEYS[3] as string).value).toBe((KEYS[3] as string).toUpperCase());
  });

  it('reads every row once across pages, in the server’s order, binding the checkpoint as a uniqueidentifier', async () => {
    const bound: unknown[][] = [];
    const sent: string[] = [];
    const pages = await readStandInPages({ table: 'dbo.T_XKZ', key: 'ID' }, table(bound), sent, 2);
    const keys = pages.flatMap((p) => p.rows.map((r) => r.key));
    expect(keys).toEqual([...KEYS].sort(serverOrder).map((k) => k.toUpperCase()));
    expect(pages.flatMap((p) => p.rows.map((r) => r.values.MC)).sort()).toEqual(
      KEYS.map((_, i) => `mc-${i}`).sort(),
    );
    expect(sent.some((s) => /\[ID\] > CAST\(@p1 AS uniqueidentifier\)/.test(s))).toBe(true);
  });
});
