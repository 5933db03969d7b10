/**
 * An error logged as a plain object or a string under `err` or `error` (`{ err: { message:
 * e.message } }`, as the queue, worker and ledger-snapshot listeners log theirs, or `{ error:
 * message }`) was masked by shape only, as any free text: a driver's words quoting a row's value
 * (`Duplicate entry '张三'`) put the name in the line, where the same words as an Error's message
 * were hidden. Strings under those keys are masked as an error's text now; licbridge's backticks,
 * which name config values, and quoted table and key names stay, as they do in a line told safe.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

// Made up: no one's name.
const HAN = '测试戊己';
const DRIVER = `ER_DUP_ENTRY: Duplicate entry '${HAN}' for key 'uk_holder'`;

function logged(obj: Record<string, unknown>): string {
  const { logger, lines } = lineLogger();
  logger.warn(obj, 'failed');
  return lines.join('\n');
}

describe('an error logged as a plain object or a string', () => {
  it.each([
    ['err: { message }', { err: { message: DRIVER } }],
    ['err: string', { err: DRIVER }],
    ['error: string', { error: DRIVER }],
    ['error: { message, code }', { error: { message: DRIVER, code: 'ER_DUP_ENTRY' } }],
  ])('hides the value its words quote (%s)', (_name, obj) => {
    const line = logged(obj);
    expect(line).not.toContain(HAN);
    expect(line).toContain("Duplicate entry '***' for key 'uk_holder'");
  });

  it("keeps licbridge's backticks and the words of an error with nothing to hide", () => {
    const own = 'target `province`: status request to https://host:8443 failed: timed out after 30 s';
    expect(logged({ err: { message: own } })).toContain(own);
    expect(logged({ error: `${own} [LB_TARGET_UNREACHABLE]` })).toContain(own);
    expect(logged({ error: 'connect ECONNREFUSED 127.0.0.1:6379' })).toContain('ECONNREFUSED 127.0.0.1:6379');
  });

  it('leaves other keys masked by shape only, as before', () => {
    const note = "mapping '食品经营许可证' loaded";
    expect(logged({ note })).toContain(note);
  });
});
