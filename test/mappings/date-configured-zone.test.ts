/**
 * The `date` transform takes a zoned instant's day in the zone the mapping is run in
 * (`lifecycle.timeZone`), as `before`/`after` conditions do: a field's day and a condition on the
 * same column land on one day whatever the zone. An explicit `zone:` still decides for its field.
 */
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../core/local-date.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = [
  'fields:',
  '  issueDate: { from: FZRQ, transform: [{ date: [yyyyMMdd] }] }',
  '  validTo: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], zone: Asia/Shanghai } }] }',
  '  surface.note:',
  '    - { when: { column: FZRQ, before: today }, const: past }',
  '    - { when: { column: FZRQ, after: today }, const: ahead }',
  '    - { const: due }',
  '  surface.sentinel: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], sentinels: [2024-03-01] } }] }',
  '',
].join('\n');

// 22:00 on 29 February in New York, 11:00 on 1 March in Shanghai.
const AT = zonedInstant(new Date('2024-03-01T03:00:00Z'));

function fields(env: { today: string; timeZone?: string }) {
  const r = compileMappingText(MAPPING, '/maps/m.yaml').map({ FZRQ: AT }, env);
  if (!r.ok) throw new Error(r.reasons.map((x) => x.message).join('; '));
  const { issueDate, validTo, surface } = r.fields as unknown as {
    issueDate: string;
    validTo: string;
    surface: { note: string; sentinel: unknown };
  };
  return { issueDate, validTo, note: surface.note, sentinel: surface.sentinel };
}

describe('the date transform takes the configured zone by default', () => {
  it('in New York the field is on 29 February, the day the condition sees', () => {
    expect(fields({ today: '2024-02-29', timeZone: 'America/New_York' })).toEqual({
      issueDate: '2024-02-29',
      validTo: '2024-03-01',
      note: 'due',
      sentinel: '2024-02-29',
    });
  });

  it('without a configured zone both are China Standard Time days', () => {
    expect(fields({ today: '2024-03-01' })).toEqual({
      issueDate: '2024-03-01',
      validTo: '2024-03-01',
      note: 'due',
      sentinel: null,
    });
  });
});
