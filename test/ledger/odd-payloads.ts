/**
 * Licenses whose JSON text tests how a version's text is split from its run's shared context
 * (ledger/version-context.ts) and put back: the marker's own text inside a value, a member named
 * "@", the type and issuer text twice, issuer before type, replacement patterns and escapes in
 * names. Each has its real content hash, so the ledger's versions can be signed and verified.
 */
import { randomBytes } from 'node:crypto';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { licenseIdOf } from './fixtures.js';

const TYPE = { name: '食品经营许可证', code: '11370200MB1234567X001' };
const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB1234567X' };

/** What makes each license odd, by name; `content` is the license without its identifier. */
export const ODD: Record<string, (n: number) => Omit<License, 'identifier'>> = {
  // The marker's text, a `$` replacement pattern, escapes and a lone surrogate in values.
  markerInValue: (n) => ({
    ...base(n),
    holder: { name: `经营者$&$'$$${n}`, idType: '001', id: '91370211MA3C000000' },
    surface: { note: '"@":0 and \\"@\\":0', line: 'a\u2028b\u0000c\ud800d😀', quote: '"\\' },
  }),
  // A member named "@" whose text is the marker: the members stay in the row.
  memberNamedAt: (n) => ({ ...base(n), surface: { '@': 0 } }),
  // The type and issuer members twice: in a text written before (JSON.stringify) their text occurs
  // twice and stays in the row; written now, the surface's copy has its names in canonical order
  // (issuer before type), so the top-level members' text occurs once and moves.
  membersTwice: (n) => ({ ...base(n), surface: { type: TYPE, issuer: ISSUER } }),
  // Issuer before type: no run of text to move.
  issuerFirst: (n) => {
    const { number, type, issuer, ...rest } = base(n);
    return { number, issuer, type, ...rest };
  },
  // The marker's text inside the type's name: moved with the members, escaped there.
  markerInType: (n) => ({ ...base(n), type: { name: `食品"@":0许可证$&$'`, code: TYPE.code } }),
};

function base(n: number): Omit<License, 'identifier'> {
  return {
    number: `JY${String(n).padStart(8, '0')}`,
    type: TYPE,
    issuer: ISSUER,
    issueDate: '2019-03-04',
    validFrom: '2019-03-04',
    // Before the tick's day: the lifecycle tick expires it (ledger/lifecycle.ts).
    validTo: '2020-03-03',
    areaCode: '370211',
    holder: { name: `经营者${n}`, idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['预包装食品销售'] },
  };
}

/**
 * One candidate of each odd kind of `pipeline`, numbered from `from`; license ids under a serial
 * prefix of its own (GB/T 36904: [0-9A-Z]), as licenses are global in the ledger.
 */
export function oddCandidates(pipeline: string, runId: string, from = 1): VersionCandidate[] {
  const prefix = `O${randomBytes(4).toString('hex').toUpperCase()}`;
  return Object.values(ODD).map((content, i) => {
    const n = from + i;
    const licenseId = licenseIdOf(n, prefix);
    const build = (version: number): License =>
      ({
        identifier: `${licenseId}.${String(version).padStart(3, '0')}.F`,
        ...content(n),
      }) as License;
    return {
      licenseId,
      sourceKey: `${pipeline}-${n}`,
      contentHash: contentHash(build(1)),
      status: 'valid',
      lineage: {
        pipeline,
        source: 'market-food',
        sourceKey: `${pipeline}-${n}`,
        runId,
        catalogVersion: 'a'.repeat(64),
        mappingVersion: 'm1',
      },
      build,
    };
  });
}
