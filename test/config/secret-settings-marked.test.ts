/**
 * Which settings are secrets is said once, in the schema (`writeOnly: true`, JSON Schema's mark
 * for a value such as a password): `config check` warns of each one written inline, and the
 * reference says so beside it. A new setting named like a password, token, secret, passphrase or
 * private key that is not marked would be written inline without a word: this fails first.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { SECRET_KEYS } from '../../config/secret-keys.js';

type Schema = Record<string, unknown>;

interface Setting {
  path: string;
  name: string;
  schema: Schema;
}

/** Every property the schema declares, through maps, lists and variants, by its dotted path. */
function settings(schema: unknown, path: string, out: Setting[] = []): Setting[] {
  if (schema === null || typeof schema !== 'object') return out;
  const s = schema as Schema;
  for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    const at = path === '' ? name : `${path}.${name}`;
    out.push({ path: at, name, schema: sub });
    settings(sub, at, out);
  }
  for (const sub of Object.values((s.patternProperties ?? {}) as Record<string, Schema>))
    settings(sub, `${path}.*`, out);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const)
    for (const sub of (s[key] ?? []) as Schema[]) settings(sub, path, out);
  for (const key of ['items', 'then', 'else'] as const) settings(s[key], path, out);
  return out;
}

/** Names of a password, a token, a secret, a passphrase or a private key (`key`). */
const SECRET_NAME = /^(key|privateKey|.*(password|passphrase|secret|token))$/i;

/** Named like a secret, and not one: each with the reason. */
const NOT_SECRETS: Readonly<Record<string, string>> = {
  'pipelines.*.stream.key': 'the column that identifies a row',
};

const ALL = settings(configSchema, '');

describe('secret settings are marked in the schema', () => {
  it('finds the settings it walks (the walk reaches signers, targets and TLS)', () => {
    const paths = ALL.map((s) => s.path);
    expect(paths).toContain('signers.*.passphrase');
    expect(paths).toContain('targets.*.auth.clientSecret');
    expect(paths).toContain('queue.redis.tls.key');
  });

  it('marks every setting named like a password, token, secret, passphrase or private key', () => {
    const unmarked = ALL.filter(
      (s) => SECRET_NAME.test(s.name) && !(s.path in NOT_SECRETS) && s.schema.writeOnly !== true,
    ).map((s) => s.path);
    expect(unmarked).toEqual([]);
  });

  it('marks nothing named otherwise, and the not-secrets it lists are unmarked', () => {
    const marked = ALL.filter((s) => s.schema.writeOnly === true);
    expect(marked.length).toBeGreaterThan(10);
    expect(marked.filter((s) => !SECRET_NAME.test(s.name)).map((s) => s.path)).toEqual([]);
    for (const path of Object.keys(NOT_SECRETS)) {
      const found = ALL.filter((s) => s.path === path);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((s) => s.schema.writeOnly !== true)).toBe(true);
    }
  });

  it('marks only names the loader hides from messages as secrets (config/secret-keys.ts)', () => {
    const names = new Set(ALL.filter((s) => s.schema.writeOnly === true).map((s) => s.name));
    expect([...names].filter((n) => !SECRET_KEYS.has(n))).toEqual([]);
  });
});
