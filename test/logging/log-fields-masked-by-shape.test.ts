/**
 * Every string a log line holds passes through the shape masking (core/personal-shapes.ts
 * maskNumberShapes), whatever its key: a platform's `reason`, a knex warning's `detail`. An
 * error's `cause` that is no Error, and the strings among an AggregateError's `errors`, are a
 * driver's own words and are masked as an error's message is: the quoted name goes too.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

// Made up: a holder's name, ID number and mobile number.
const NAME = '欧阳秀英';
const ID = '110105194912310021';
const MOBILE = '13800138000';

describe('a log line', () => {
  it("masks ID and mobile numbers in any field's text, at any depth", () => {
    const { lines, logger } = lineLogger('trace');
    logger.info({ reason: `holder ${ID}` }, 'platform refused');
    logger.warn({ detail: `FS-related option specified for ${ID}` }, 'ledger: knex warning');
    logger.info({ answer: { items: [`call ${MOBILE}`] } }, 'nested');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(ID);
      expect(line).not.toContain(MOBILE);
    }
    const first = JSON.parse(lines[0] ?? '{}') as { reason: string };
    expect(first.reason).toMatch(/^holder 1101\*+0021$/);
  });

  it('keeps the ids and numbers that are no person’s', () => {
    const { lines, logger } = lineLogger('trace');
    const runId = 'b3f1c2d4-1381-4234-8567-138001380001';
    logger.child({ runId }).info({ page: 12, note: 'page 12 of 40' }, 'read');
    const line = JSON.parse(lines[0] ?? '{}') as { runId: string; note: string; page: number };
    expect(line.runId).toBe(runId);
    expect(line.note).toBe('page 12 of 40');
    expect(line.page).toBe(12);
  });

  it("masks an error's cause that is a string or a plain object as its message", () => {
    const { lines, logger } = lineLogger('trace');
    const driver = `Duplicate entry '${NAME}-${ID}' for key 'uk_holder'`;
    logger.error({ err: new Error('commit failed', { cause: driver }) }, 'string cause');
    logger.error({ err: new Error('commit failed', { cause: { sqlMessage: driver } }) }, 'object cause');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(NAME);
      expect(line).not.toContain(ID.slice(4, 14));
      expect(line).toContain("'uk_holder'");
    }
  });

  it("masks the strings among an AggregateError's errors", () => {
    const { lines, logger } = lineLogger('trace');
    const e = new AggregateError([`Duplicate entry '${NAME}' for key 'uk_holder'`, `id ${ID}`], 'all failed');
    logger.error({ err: e }, 'aggregate');
    expect(lines[0]).not.toContain(NAME);
    expect(lines[0]).not.toContain(ID);
  });
});
