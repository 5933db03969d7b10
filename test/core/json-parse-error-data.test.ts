/**
 * V8's JSON.parse error quotes the start of the text it parsed (`Unexpected token '张', "张三丰"... is
 * not valid JSON`): a job's stored data, a platform's answer. A name there is no shape that masking
 * finds, so the quoted data is dropped wherever an error is logged or stored, and what says where
 * the text stopped being JSON stays.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';

/** Synthetic, made here: a name-like run of CJK characters, as a holder's name would stand in data. */
function syntheticName(length: number): string {
  return Array.from({ length }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 0x5000))).join(
    '',
  );
}

function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (e) {
    return e as Error;
  }
  throw new Error('parsed: the test data must not be JSON');
}

describe('a JSON parse error quoting the data it parsed', () => {
  it.each([
    ['data that opens with a name', (name: string) => `${name} holder`],
    ['a name after a double quote in the data', (name: string) => `${syntheticName(2)}"${name}`],
    ['a name between double quotes in the data', (name: string) => `x"${name}" holder`],
    ['a name past the start of an object', (name: string) => `{"holder": ${name}}`],
  ])('holds no name of %s in a log line or a stored message', (_what, made) => {
    const name = syntheticName(3);
    const e = parseError(made(name));
    // What is guarded against: the engine quotes the data.
    expect(e.message).toContain(name.slice(0, 2));

    const { logger, lines } = lineLogger();
    logger.error({ err: e }, 'read failed');
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).toContain('SyntaxError');
    expect(line).toContain('not valid JSON');
    for (const ch of name) expect(line).not.toContain(ch);

    const stored = failureMessage(e).message;
    expect(stored).toContain('not valid JSON');
    for (const ch of name) expect(stored).not.toContain(ch);
  });

  it('holds no name written in Latin letters, which reads as an identifier and is not hidden as quoted', () => {
    // Synthetic, made here: a capitalised word of random letters, as a romanised name stands.
    const name = `Zq${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    const e = parseError(name);
    expect(e.message).toContain(name);
    const { logger, lines } = lineLogger();
    logger.error({ err: e }, 'read failed');
    expect(lines.join('\n')).not.toContain(name.slice(2));
    expect(failureMessage(e).message).not.toContain(name.slice(2));
  });

  it('keeps where the text stopped being JSON', () => {
    const name = syntheticName(4);
    const e = parseError(`{"a": 1 ${name}}`);
    const stored = failureMessage(e).message;
    expect(e.message).toMatch(/position \d+/);
    expect(stored).toMatch(/position \d+/);
    for (const ch of name) expect(stored).not.toContain(ch);
  });
});
