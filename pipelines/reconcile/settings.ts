/**
 * The `reconcile` section as checks, repairs and reports read it: every field set, from the
 * schema's defaults (config/schema/reconcile.ts) when a config built in code leaves it out. A
 * loaded config holds them already; the walk here gives a test's or a tool's config the same values.
 */
import { reconcile as reconcileSchema } from '../../config/schema/reconcile.js';
import { type Defaulted, withSchemaDefaults } from '../../config/schema-defaults.js';
import type { Config, ReconcileConfig } from '../../config/types.js';
import type { ReportLang, ReportOptions } from './report-words.js';

/** `reconcile.*` with each field the schema defaults set. */
export type ReconcileSettings = Defaulted<ReconcileConfig, 'timeZone'>;

/** Needs only the config: schedules and the after-run check read it without a runtime. */
export function reconcileSettings(rt: {
  readonly config: Partial<Pick<Config, 'reconcile'>>;
}): ReconcileSettings {
  return withSchemaDefaults(reconcileSchema, rt.config.reconcile ?? {}) as ReconcileSettings;
}

/** What a report shows that the config decides: the zone of its times and the repair policies its advice names. */
export function reportOptions(settings: ReconcileSettings, lang?: ReportLang): ReportOptions {
  return {
    ...(lang ? { lang } : {}),
    timeZone: settings.timeZone,
    policies: { deletedAtSource: settings.deletedAtSource, unknownAtPlatform: settings.unknownAtPlatform },
  };
}
