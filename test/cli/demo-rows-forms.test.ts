/**
 * `demo --rows` read with Number() alone took `1e3` as 1000, `0x10` as 16 and `1.0` as 1, and
 * generated that many rows as if meant so. Written otherwise than as digits, it is a usage error
 * (exit 2) naming the option and the value, before the demo starts, as every number option is
 * (number-option-forms).
 */
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';

describe('demo --rows written otherwise than as digits', () => {
  it.each(['1e3', '0x10', '1.0', '', '0', '-5'])('`%s` is refused before the demo starts', async (value) => {
    const r = await licbridge(['demo', '--json', '--rows', value], { timeoutMs: 30_000 });
    expect(r.stderr).toContain('--rows');
    expect(r.stderr).toContain(`\`${value}\``);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});
