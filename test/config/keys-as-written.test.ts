/**
 * YAML reads a plain key as a number or a boolean, and the config takes its text: `2027:` and
 * `"2027":` are two keys to the parser (a number and a string), and one to the config, where the
 * later silently replaced the earlier (a year's holidays lost, its deadlines counted without them).
 * A key that does not write back as written (`001:` is the number 1) was reported as an unknown
 * key `1`, beside a list that holds `001`.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

describe('a key written twice, once as a number and once as text', () => {
  it('is a duplicate key at the later one, not the later silently winning', async () => {
    const text = `${VALID_CONFIG}calendar:\n  years:\n    2027: { holidays: [2027-01-01] }\n    "2027": { holidays: [2027-10-01] }\n`;
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, '"2027"'),
        path: 'calendar.years',
        message: expect.stringMatching(/^duplicate key `2027`/),
      }),
    ]);
  });

  it('a year written once, as a number, loads', async () => {
    const text = `${VALID_CONFIG}calendar:\n  years:\n    2027: { holidays: [2027-01-01] }\n`;
    const config = await loadConfig({
      file: await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM }),
      env: {},
    });
    expect(config.calendar?.years['2027']?.holidays).toEqual(['2027-01-01']);
  });
});

describe('a key YAML reads as another value than written', () => {
  it('`001:` says YAML reads it as 1 and to quote it', async () => {
    const target = 'province: { kind: rest-json,';
    expect(VALID_CONFIG).toContain(target);
    const text = VALID_CONFIG.replace(
      target,
      'province: { codes: { holderIdType: { 001: "A", "099": "B" } }, kind: rest-json,',
    );
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, '001:'),
        path: 'targets.province.codes.holderIdType',
        message: 'key `001` is read by YAML as the number 1; quote it (`"001"`) to keep it text',
      }),
    ]);
  });
});
