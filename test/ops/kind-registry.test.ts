import { describe, expect, it } from 'vitest';
import { createTarget } from '../../adapters/platforms/create-target.js';
import { TARGET_KINDS } from '../../adapters/platforms/kinds.js';
import { SIGNER_KINDS } from '../../adapters/signers/kinds.js';
import type { TargetConfig } from '../../config/target-types.js';
import type { SourceConfig } from '../../config/types.js';
import { SOURCE_KINDS } from '../../connectors/kinds.js';
import { openSource } from '../../connectors/open-source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { kindRegistry } from '../../core/kind-registry.js';

describe('kind registries', () => {
  it('find a kind by name and nothing else', () => {
    const r = kindRegistry([
      { kind: 'a', n: 1 },
      { kind: 'b', n: 2 },
    ]);
    expect(r.find('b')?.n).toBe(2);
    expect(r.find('c')).toBeUndefined();
    expect(r.find('toString')).toBeUndefined();
  });

  it('refuse an unknown kind naming the component and every kind this build knows', async () => {
    const source = await openSource('market', { kind: 'db2' } as unknown as SourceConfig).catch(
      (e: unknown) => e,
    );
    expect(isLicbridgeError(source) && source.code).toBe('LB_USAGE');
    expect((source as Error).message).toBe(
      `source market: kind \`db2\` is not supported (supported: ${SOURCE_KINDS.map((k) => k.kind).join(', ')})`,
    );
    const target = await createTarget('city', { kind: 'ftp' } as unknown as TargetConfig).catch(
      (e: unknown) => e,
    );
    expect((target as Error).message).toBe(
      `target city: kind \`ftp\` is not supported (supported: ${TARGET_KINDS.map((k) => k.kind).join(', ')})`,
    );
  });

  it('list each kind once', () => {
    for (const kinds of [SOURCE_KINDS, SIGNER_KINDS, TARGET_KINDS]) {
      const names = kinds.map((k) => k.kind);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
