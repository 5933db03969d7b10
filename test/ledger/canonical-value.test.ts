/** Canonical texts kept for frozen flat objects only (ledger/canonical-value.ts): never a stale one. */
import { describe, expect, it } from 'vitest';
import { jcs } from '../../catalog/canonical.js';
import { canonicalValue } from '../../ledger/canonical-value.js';

describe('canonicalValue', () => {
  it('gives the canonical text of a frozen type or issuer, again and again', () => {
    const issuer = Object.freeze({ name: '青岛西海岸新区市场监督管理局', code: '11370211MB1234567X' });
    expect(canonicalValue(issuer)).toBe(jcs(issuer));
    expect(canonicalValue(issuer)).toBe(
      '{"code":"11370211MB1234567X","name":"青岛西海岸新区市场监督管理局"}',
    );
  });

  it('follows every object whose text can change: not frozen, deep, or with a getter', () => {
    const open = { name: 'a', code: '1' };
    expect(canonicalValue(open)).toBe('{"code":"1","name":"a"}');
    open.name = 'b';
    expect(canonicalValue(open)).toBe('{"code":"1","name":"b"}');

    const inner = { n: 1 };
    const deep = Object.freeze({ inner });
    expect(canonicalValue(deep)).toBe('{"inner":{"n":1}}');
    inner.n = 2;
    expect(canonicalValue(deep)).toBe('{"inner":{"n":2}}');

    let count = 0;
    const counted = Object.freeze({
      get n() {
        count += 1;
        return count;
      },
    });
    const first = canonicalValue(counted);
    expect(canonicalValue(counted)).not.toBe(first);

    const dated = Object.freeze(Object.create({ toJSON: () => `t${++count}` }) as object);
    const once = canonicalValue(dated);
    expect(canonicalValue(dated)).not.toBe(once);
  });

  it('gives primitives and arrays as jcs does', () => {
    for (const v of ['证"\\', 1e21, -0, null, true, [1, 'a', null], Object.freeze(['x', 2])])
      expect(canonicalValue(v)).toBe(jcs(v));
  });
});
