import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';

/**
 * `licbridge check <kind> <value>` takes uscc, id or identifier. The kind was looked up with `in`,
 * which also finds what every object inherits: `check toString CODE` or `check constructor CODE`
 * got past it and checked the code as a license identifier (`invalid (identifier does not start
 * with 1.2.156.3005.2)`, exit 1) instead of naming the kinds it takes (exit 2).
 */
describe('check with a kind it does not take', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'USCC'])('`%s`', async (kind) => {
    const r = await licbridge(['check', kind, '91350100M000100Y43']);
    expect(r.stderr).toContain(`check: expected uscc, id or identifier, got \`${kind}\``);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});
