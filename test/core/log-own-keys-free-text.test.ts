/**
 * Some keys of a log line hold what licbridge writes itself (a pipeline's name, a target's, an
 * event's), and their string values skipped masking by shape. A caller's own object may put text
 * from outside under the same names (`{ source: 'holder 1101…' }`, a platform's `type`), and the
 * number in it went out whole. Their values are masked by shape now as every other key's are; the
 * names and ids licbridge writes there, which have no such shape, stay as they are.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const ID = `1${digits(5)}1990${String(1 + Math.floor(Math.random() * 9)).padStart(2, '0')}1${digits(5)}`;
const MOBILE = `13${digits(9)}`;

function logged(obj: Record<string, unknown>, bindings: Record<string, unknown> = {}): string {
  const { logger, lines } = lineLogger();
  logger.child(bindings).info(obj, 'seen');
  return lines.join('\n');
}

describe('keys licbridge writes itself', () => {
  for (const key of ['source', 'target', 'type', 'event', 'component', 'stage', 'stack', 'pipeline']) {
    it(`masks a number a person is known by under \`${key}\` in a caller's object`, () => {
      const line = logged({ [key]: `holder ${ID} tel ${MOBILE}` });
      expect(line).not.toContain(ID);
      expect(line).not.toContain(MOBILE);
      expect(line).toContain(`holder ${ID.slice(0, 4)}`);
    });
  }

  it('keeps the names and ids licbridge writes there', () => {
    const runId = randomUUID();
    const bindings = { pipeline: 'hz-business-2024', stage: 'deliver', source: 'oracle_01', runId };
    const line = logged({ event: 'delivered', target: 'province', type: '11100000000013001' }, bindings);
    for (const v of [...Object.values(bindings), 'delivered', 'province', '11100000000013001'])
      expect(line).toContain(`"${v}"`);
  });
});
