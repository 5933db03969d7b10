/**
 * The XML validator quotes a piece of a value it took for a tag or attribute name between
 * apostrophes (`Tag '…' is an invalid name.`). A piece holding an apostrophe itself (`<a'3702…>`,
 * an unescaped `<` before `O'Brien`) ended the quoted name early: the part after its apostrophe
 * went into the error unchecked, an ID number whole. The quoted name runs to the apostrophe the
 * message's own words follow.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseErrorOfRecord } from './xml-fixtures.js';

const ID = '370211199001011234';
const NAME = '欧阳秀英';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const parseError = (record: string) => parseErrorOfRecord(record, folders);

describe('xml-files: a quoted piece of a value holding an apostrophe', () => {
  it.each([
    ['an ID number after an apostrophe in a tag name', `<BZ>见<a'${ID}></BZ>`, ID],
    ['an ID number before an apostrophe in a tag name', `<BZ>见<a${ID}'></BZ>`, ID],
    ['a name after an apostrophe in a tag name', `<BZ>见<X'${NAME}/></BZ>`, NAME],
    ['an ID number after an apostrophe in an attribute name', `<BZ>见<X a'${ID}="1"/></BZ>`, ID],
    ['an ID number in a repeated attribute name', `<BZ>见<X a'${ID}="1" a'${ID}="2"/></BZ>`, ID],
    // A tag name runs to an ASCII space only: an ideographic or no-break space after its
    // apostrophe, then words of the message's own, do not end it.
    ['an ID number after an apostrophe and an ideographic space', `<BZ>见<a'\u3000is\u3000${ID}></BZ>`, ID],
    ['an ID number after an apostrophe and a no-break space', `<BZ>见<a'\u00a0has\u00a0${ID}/></BZ>`, ID],
  ])('%s is left out of the error', async (_, record, personal) => {
    const e = await parseError(record);
    expect(e.message).toContain('E001.xml');
    expect(e.message).toMatch(/line \d+, column \d+/);
    expect(e.message).not.toContain(personal);
  });

  it("still names the export's own elements", async () => {
    const closing = await parseError('<MC>x</MD>');
    expect(closing.message).toContain("Expected closing tag 'MC' (opened in line 1");
    expect(closing.message).toContain("instead of closing tag 'MD'.");
    const attribute = await parseError('<MC a="1" a="2">x</MC>');
    expect(attribute.message).toContain("Attribute 'a' is repeated.");
  });
});
