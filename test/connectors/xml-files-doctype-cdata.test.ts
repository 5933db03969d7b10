/**
 * A DOCTYPE's internal subset is no content: `<![CDATA[` written inside an entity's value (or a
 * comment of the subset) opens no CDATA section. Taken for one, it ran to the next `]]>` of the
 * file and turned the records between into text, lost without a word.
 */
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(text: string): Promise<[string, unknown][]> {
  const dir = tempFolder();
  folders.push(dir);
  await writeFile(join(dir, 'SPXK_1.xml'), text);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  try {
    const rows = await source.fileRows({ table: RECORD_PATH, key: 'ID' }, 'SPXK_1.xml');
    return rows.map((r) => [r.key, r.values.MC]);
  } finally {
    await source.close();
  }
}

const RECORDS = `<Root><Records>
<Record><ID>1</ID><MC>甲&amp;乙</MC></Record>
<Record><ID>2</ID><MC>丙</MC></Record>
<Record><ID>3</ID><MC><![CDATA[丁&amp;]]></MC></Record>
</Records></Root>`;

const EXPECTED = [
  ['1', '甲&乙'],
  ['2', '丙'],
  ['3', '丁&amp;'],
];

describe('xml-files: `<![CDATA[` inside a DOCTYPE', () => {
  it('in an internal entity value opens no section: the records up to the next `]]>` are read', async () => {
    // The brackets of the subset balance: the file passed the well-formedness check, and the
    // records before record 3's CDATA became the text of a section.
    const rows = await rowsOf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Root [
  <!ENTITY note "free text is wrapped in <![CDATA[ sections, where a > b is as written">
]>
${RECORDS}`);
    expect(rows).toEqual(EXPECTED);
  });

  it('in an entity value whose `<` is unmatched, the file is no "truncated" file: every record is read', async () => {
    const rows = await rowsOf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Root [
  <!ENTITY note "free text is wrapped in <![CDATA[ sections">
  <!ENTITY other 'and ends with ]]&gt; in single quotes'>
]>
${RECORDS}`);
    expect(rows).toEqual(EXPECTED);
  });

  it('in a comment of the internal subset opens no section either', async () => {
    const rows = await rowsOf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Root [
  <!-- values in <![CDATA[ are as written; "quotes" and ] are fine here -->
  <!ENTITY note "text">
]>
${RECORDS}`);
    expect(rows).toEqual(EXPECTED);
  });

  it('`<!DOCTYPE` past the first element is text: a CDATA section after it stays as written', async () => {
    // A lenient tool wrote a raw `<` in an attribute's value; the validator lets it pass. Taken
    // for a DOCTYPE, it ran to the end of the file, and the section's `&amp;` read `&`.
    const rows = await rowsOf(`<?xml version="1.0" encoding="UTF-8"?>
<Root><Records>
<Record note="<!DOCTYPE x ["><ID>1</ID><MC><![CDATA[甲&amp;乙]]></MC></Record>
<Record><ID>2</ID><MC>丙</MC></Record>
</Records></Root>`);
    expect(rows).toEqual([
      ['1', '甲&amp;乙'],
      ['2', '丙'],
    ]);
  });

  it('a DOCTYPE without an internal subset changes nothing', async () => {
    const rows = await rowsOf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Root PUBLIC "-//Export//DTD <![CDATA[ 1.0//EN" "">
${RECORDS}`);
    expect(rows).toEqual(EXPECTED);
  });
});
