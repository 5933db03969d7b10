import { describe, expect, it } from 'vitest';
import { duplicateJsonKeys } from '../support/json-duplicate-keys.js';
import { lineLogger } from '../support/log-lines.js';

describe('log lines carry each key once', () => {
  it('when a call repeats keys its child logger is bound to, or a child rebinds a key', () => {
    const { lines, logger } = lineLogger('trace');
    const job = logger.child({ component: 'worker' }).child({ pipeline: 'p1', runId: 'r1', jobId: '7' });
    job.debug({ pipeline: 'p1', runId: 'r1', page: 2 }, 'extract: page committed');
    job.child({ jobId: '8', stage: 'sign' }).info({ app: 'other', jobId: '9' }, 'again');
    job.warn(new Error('boom'));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(duplicateJsonKeys(line), line).toEqual([]);
    const [first, second, third] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      app: 'licbridge',
      component: 'worker',
      pipeline: 'p1',
      runId: 'r1',
      page: 2,
    });
    // The most specific word wins: a grandchild's binding, then the call's object.
    expect(second).toMatchObject({ jobId: '9', stage: 'sign', app: 'other', runId: 'r1' });
    expect(third).toMatchObject({ err: { message: 'boom' }, msg: 'boom', runId: 'r1' });
    expect(job.bindings()).toEqual({
      app: 'licbridge',
      component: 'worker',
      pipeline: 'p1',
      runId: 'r1',
      jobId: '7',
    });
  });

  it('still redacts secrets and personal data given as bindings', () => {
    const { lines, logger } = lineLogger('trace');
    logger.child({ password: 'pw-in-binding', connection: { user: 'dbuser' } }).info({ token: 't' }, 'x');
    expect(lines[0]).not.toMatch(/pw-in-binding|dbuser|"t"/);
    expect(duplicateJsonKeys(lines[0] ?? '')).toEqual([]);
  });

  it('writes C1 and bidi controls from outside values as escapes', () => {
    const { lines, logger } = lineLogger('trace');
    logger.warn({ reason: 'a\u009b31m\u202eb\u001b[0m' }, 'platform said');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: it looks for control characters on purpose
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect((JSON.parse(lines[0] ?? '{}') as { reason: string }).reason).toBe('a\u009b31m\u202eb\u001b[0m');
  });
});
