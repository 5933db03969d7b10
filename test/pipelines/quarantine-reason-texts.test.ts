/**
 * Every reason a row is quarantined for that a clerk can put right in the business system has
 * sentences of its own for the quarantine worklist (pipelines/quarantine-reasons.ts): without them
 * the worklist says "pass the reason code to the technical staff" for a list with a missing item
 * or an earlier license number mistyped. The codes are read from the code that gives them, so a
 * new one fails here until it is explained or listed below as a matter for the technical staff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainedCodes, reasonText } from '../../pipelines/quarantine-reasons.js';

/** A mapping's own fault, not the row's: the general sentence (ask the technical staff) is right. */
const FOR_TECHNICAL_STAFF = new Set(['LB_MAP_COLUMN', 'LB_MAP_OPERATION', 'LB_MAP_INTERNAL']);

const ROOT = join(import.meta.dirname, '..', '..');
const GIVERS = [
  ...readdirSync(join(ROOT, 'mappings')).map((f) => join('mappings', f)),
  'pipelines/lifecycle/predecessors.ts',
];

function codesGiven(): string[] {
  const codes = new Set<string>();
  for (const file of GIVERS.filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/'(LB_(?:MAP|PREDECESSOR)_[A-Z_]+)'/g)) {
      codes.add(m[1] as string);
    }
  }
  return [...codes].sort();
}

describe('quarantine sentences for the reasons mappings and predecessors give', () => {
  const general = reasonText('LB_NO_SUCH_CODE');
  const codes = codesGiven();

  it('finds the codes it checks', () => {
    expect(codes).toEqual(expect.arrayContaining(['LB_MAP_LIST_LENGTH', 'LB_PREDECESSOR_UNKNOWN']));
  });

  for (const code of codes.filter((c) => !FOR_TECHNICAL_STAFF.has(c))) {
    it(`${code} has its own sentences, in Chinese and English`, () => {
      expect(explainedCodes()).toContain(code);
      expect(reasonText(code).zh).not.toBe(general.zh);
      expect(reasonText(code).en).not.toBe(general.en);
    });
  }
});
