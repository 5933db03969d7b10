/**
 * The `reconcile` section as checks and reports read it comes from the schema's defaults, also for
 * a config built in code without the section; a value the config sets is kept. Expected values are
 * read from the schema, so this checks where they come from, not what they are.
 */
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../config/schema/builders.js';
import { reconcile as reconcileSchema } from '../../config/schema/reconcile.js';
import type { ReconcileConfig } from '../../config/types.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';

const props = reconcileSchema.properties as Record<string, Schema>;
const fields = Object.entries(props);

describe('reconcile settings', () => {
  it('holds every default the schema declares when the config has no reconcile section', () => {
    const settings = reconcileSettings({ config: {} }) as unknown as Record<string, unknown>;
    expect(fields.length).toBeGreaterThan(0);
    for (const [name, schema] of fields) expect([name, settings[name]]).toEqual([name, schema.default]);
  });

  it('keeps what the config sets and fills the rest', () => {
    const reconcile = { timeZone: 'Asia/Urumqi', buckets: 64, deletedAtSource: 'revoke' } as ReconcileConfig;
    const settings = reconcileSettings({ config: { reconcile } });
    expect(settings).toMatchObject({ timeZone: 'Asia/Urumqi', buckets: 64, deletedAtSource: 'revoke' });
    expect(settings.sample).toBe(props.sample?.default);
    expect(reportOptions(settings, 'en')).toEqual({
      lang: 'en',
      timeZone: 'Asia/Urumqi',
      policies: {
        deletedAtSource: 'revoke',
        unknownAtPlatform: props.unknownAtPlatform?.default,
      },
    });
  });
});
