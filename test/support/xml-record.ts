/**
 * The first record an xml-files export of one `<Record>` (inside `<Root><Records>`) yields, as
 * read from `SPXK_1.xml` in UTF-8, every record kept; a file the parser refuses throws its reason.
 */
import { parseRecords } from '../../connectors/xml-files/records.js';

export function firstXmlRecord(record: string) {
  const out = parseRecords(
    `<Root><Records>${record}</Records></Root>`,
    ['Root', 'Records', 'Record'],
    () => true,
    {
      file: 'SPXK_1.xml',
      encoding: 'utf-8',
    },
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records[0];
}
