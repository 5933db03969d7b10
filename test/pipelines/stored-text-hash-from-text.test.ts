/**
 * A delivery checks the stored text of every version it sends against the content hash its
 * version records (stages/deliver-items.ts, reconcile/stored-text.ts storedText). A text as
 * payloadColumn writes it is checked from its fields sorted by name (ledger/stored-signed-form.ts
 * storedTextHashes), without serialising the parsed license again. Whatever way is taken, the
 * answer is the long way's: the license for a text that reads as recorded (payloadColumn's, with
 * and without the context split, and JSON.stringify's of rows written before, names in another
 * order), and the same problem for a text edited since, a field's value or a field added or taken.
 */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { storedTextHashes } from '../../ledger/stored-signed-form.js';
import { splitVersion } from '../../ledger/version-context.js';
import { storedText } from '../../pipelines/reconcile/stored-text.js';
import { ODD } from '../ledger/odd-payloads.js';

const LINEAGE = '{"s":"market-food","k":"4","C":"abc","M":"def"}';
const ID = '1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.U00000001.001.F';
const ALTERED = 'its stored text does not match the content hash its version records';

const LICENSE = {
  identifier: ID,
  number: 'JY00000001',
  type: { name: '食品经营许可证', code: '11370200MB1234567X001' },
  issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB1234567X' },
  issueDate: '2019-03-04',
  validTo: '2029-03-03',
  holder: { name: '测试戊己', idType: '001', id: '91370211MA3C000000' },
  status: 'valid',
  surface: { businessItems: ['预包装食品销售'], premises: '长江中路1号' },
} as unknown as License;

function row(
  l: License,
  payload: string,
  hash: string,
  context?: { lineage: string; payload: string } | null,
): VersionRow {
  return {
    version_id: 1,
    license_id: ID.split('.').slice(0, -2).join('.'),
    version: 1,
    pipeline: 'market-food',
    identifier: l.identifier,
    content_hash: hash,
    status: 'valid',
    operation: 'create',
    payload,
    lineage: LINEAGE,
    run_id: 'run-1',
    created_at: new Date(0),
    ...(context ? { context_id: 1, context_lineage: context.lineage, context_payload: context.payload } : {}),
  };
}

/** `l` stored as payloadColumn writes it (alone and with its context split) and as JSON.stringify wrote it. */
function forms(l: License, hash = contentHash(l)): { form: string; row: VersionRow; fromText: boolean }[] {
  const split = splitVersion(payloadColumn(l), l, LINEAGE);
  return [
    { form: 'payloadColumn', row: row(l, payloadColumn(l), hash), fromText: true },
    { form: 'context split', row: row(l, split.payload, hash, split.context), fromText: true },
    { form: 'JSON.stringify', row: row(l, JSON.stringify(l), hash), fromText: false },
  ];
}

function withoutSurface(l: License): License {
  const { surface: _surface, ...rest } = l as License & { surface?: unknown };
  return rest as License;
}

describe('a stored text checked against its content hash', () => {
  it('reads as recorded: the license, from its text where payloadColumn wrote it', () => {
    const licenses = [
      LICENSE,
      ...Object.values(ODD).map((odd, n) => ({ identifier: ID, ...odd(n) }) as License),
    ];
    for (const l of licenses) {
      for (const f of forms(l)) {
        const v = toVersion(f.row);
        const read = storedText(v, true);
        expect(read, f.form).toEqual({ license: v.payload });
        expect(contentHash(v.payload), f.form).toBe(contentHash(l));
        // payloadColumn's text is checked from its text, but where it holds its own identifier
        // (an integer-like name goes before it in a JS object): that one, as JSON.stringify's of a
        // license whose values hold names out of order, is left to the long way.
        if (f.fromText && Object.keys(l)[0] === 'identifier')
          expect(storedTextHashes(toVersion(f.row)), f.form).toBe(true);
      }
    }
  });

  it('a value inside a field written with its names out of order reads the long way, as recorded', () => {
    const text = payloadColumn(LICENSE).replace(
      '{"id":"91370211MA3C000000","idType":"001","name":"测试戊己"}',
      '{"name":"测试戊己","idType":"001","id":"91370211MA3C000000"}',
    );
    expect(text).not.toBe(payloadColumn(LICENSE));
    const v = toVersion(row(LICENSE, text, contentHash(LICENSE)));
    expect(storedTextHashes(v)).toBe(false);
    expect(storedText(toVersion(row(LICENSE, text, contentHash(LICENSE))), true)).toHaveProperty('license');
  });

  it('edited since it was written: the same problem, whichever way it is read', () => {
    const edits: [string, License][] = [
      ['a value', { ...LICENSE, validTo: '2039-03-03' } as License],
      ['a field added', { ...LICENSE, areaCode: '370211' } as License],
      ['a field taken', withoutSurface(LICENSE)],
      ['a nested value', { ...LICENSE, holder: { ...LICENSE.holder, name: '测试庚辛' } } as License],
    ];
    for (const [what, edited] of edits) {
      // The text of the edited license under the content hash of the one first written.
      for (const f of forms(edited, contentHash(LICENSE))) {
        expect(storedTextHashes(toVersion(f.row)), `${what}, ${f.form}`).toBe(false);
        const read = storedText(toVersion(f.row), true);
        expect(read, `${what}, ${f.form}`).toHaveProperty('problem');
        expect((read as { problem: string }).problem).toContain(ALTERED);
      }
    }
  });

  it('a version not read from its row (made by hand) is hashed the long way', () => {
    const v = { payload: LICENSE, contentHash: contentHash(LICENSE) };
    expect(storedTextHashes(v)).toBe(false);
    expect(storedText(v, true)).toEqual({ license: LICENSE });
    expect(
      storedText({ ...v, contentHash: contentHash({ ...LICENSE, number: 'JY2' } as License) }, true),
    ).toHaveProperty('problem');
  });
});
