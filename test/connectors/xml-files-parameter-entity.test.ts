/**
 * A DOCTYPE declaring a parameter entity (`<!ENTITY % …>`, XML 1.0 §4.1) is refused, as licbridge
 * expands and fetches no entity, and the refusal says so: it read "Invalid entity name %", which
 * sent the reader to look for a misspelt name in a file whose names are all valid.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const RECORD = '<Root><Records><Record><ID>1</ID></Record></Records></Root>';

describe('xml-files: a parameter entity in the DOCTYPE', () => {
  it.each([
    ['internal', '<!ENTITY % common "CDATA">'],
    ['external', '<!ENTITY % common SYSTEM "common.ent">'],
  ])('an %s one is refused, saying what it is', (_, declaration) => {
    const outcome = parseRecords(
      `<?xml version="1.0"?>\n<!DOCTYPE Root [ ${declaration} ]>\n${RECORD}`,
      ['Root', 'Records', 'Record'],
      () => true,
    );
    expect(outcome.ok).toBe(false);
    const reason = outcome.ok ? '' : outcome.reason;
    expect(reason).toContain('parameter entity');
    expect(reason).not.toContain('Invalid entity name');
  });
});
