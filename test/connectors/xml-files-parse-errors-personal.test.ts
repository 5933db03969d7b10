/**
 * A file that is not well-formed because a value holds an unescaped `<` (an export tool that
 * does not escape text) makes the XML validator quote a piece of that value as if it were a tag
 * or attribute name: a holder's name, an ID number. The parse error goes to logs, to the run's
 * error in the ledger and to the job in Redis, so those pieces are left out; names that read as
 * the export's own element names, the file, line and column stay.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseErrorOfRecord } from './xml-fixtures.js';

const NAME = '欧阳秀英';
const ID = '370211199001011234';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const parseError = (record: string) => parseErrorOfRecord(record, folders);

const everything = (e: Error) =>
  `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${JSON.stringify((e as { context?: unknown }).context)} ${String((e as { cause?: unknown }).cause)}`;

describe('xml-files: parse errors hold no piece of a value', () => {
  it.each([
    ['a name after an unescaped <', `<MC>王<${NAME}></MC>`],
    ['an ID number after an unescaped <', `<ZJHM>身份证<${ID}/></ZJHM>`],
    ['an ID number in a broken attribute', `<MC>王<X a=${ID}/></MC>`],
    ['an ID number where a tag name should start', `<MC>王 <${ID}号</MC>`],
    ['a name left open at the end', `<MC>王<${NAME}>`],
  ])('%s', async (_, record) => {
    const e = await parseError(record);
    expect(e.message).toContain('E001.xml');
    expect(e.message).toMatch(/line \d+, column \d+/);
    const text = everything(e);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(ID);
  });

  it("still names the export's own elements", async () => {
    const e = await parseError('<MC>x</MD>');
    expect(e.message).toContain("'MC'");
    expect(e.message).toContain("'MD'");
  });
});
