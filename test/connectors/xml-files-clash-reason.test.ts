/**
 * A record whose two elements read as one field is quarantined with its own sentences: without
 * them the worklist said only "pass the reason code to the technical staff".
 */
import { describe, expect, it } from 'vitest';
import { CODE_FIELD_CLASH } from '../../connectors/xml-files/flatten.js';
import { explainedCodes, reasonText } from '../../pipelines/quarantine-reasons.js';

describe('quarantine sentences for an XML record with clashing field names', () => {
  it(`${CODE_FIELD_CLASH} has its own sentences, in Chinese and English`, () => {
    const general = reasonText('LB_NO_SUCH_CODE');
    expect(explainedCodes()).toContain(CODE_FIELD_CLASH);
    expect(reasonText(CODE_FIELD_CLASH).zh).not.toBe(general.zh);
    expect(reasonText(CODE_FIELD_CLASH).en).toMatch(/same field/);
  });
});
