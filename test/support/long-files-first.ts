/**
 * The order test files start in (vitest.config.ts `sequence.sequencer`): longest first, so that
 * a file which waits a minute does not start last and hold up the end of the run while the other
 * workers sit idle. vitest's own order does this only for files whose duration its cache
 * (`node_modules/.vite/vitest/…/results.json`) has recorded: `npm ci` empties it, so CI always
 * started without, and ordered files by their size in bytes. A cache that knew some files and not
 * others compared the two kinds by different measures, so even a known long file could start late.
 *
 * Here every file gets one estimate: its last duration from the cache; else its time in
 * LONG_FILES below; else nothing, and it goes after the estimated ones, larger files first (as
 * vitest). Files of one project stay together, as vitest keeps them: a worker is reused for
 * the next file only when that file is of its project too (isolate: false), and loading the
 * libraries again is most of an integration file's time.
 */
import { relative } from 'node:path';
import { BaseSequencer, parseCLI, type TestSpecification } from 'vitest/node';

/**
 * Seconds a file took in a whole run of the integration and e2e files on two cores (8 workers, a
 * loaded sitting: the order is what counts), for a run whose cache does not know it: the files of
 * 12 s or more. A guess that has grown stale only moves a file in the queue; the cache, once a run
 * has filled it, wins.
 */
export const LONG_FILES: Readonly<Record<string, number>> = {
  'e2e:test/pipelines/run-killed.e2e.test.ts': 67,
  // Measured alone (two cores, loaded): 23 in-process commands, 42-78 s; split in two files of
  // 12 and 11 since, side by side: 16 and 17 s at load ~20, where the one file took 22-76 s.
  'integration:test/ops/hostile-config.int.test.ts': 24,
  'integration:test/ops/hostile-config-queries.int.test.ts': 23,
  'e2e:test/reconcile/repair-stopped.e2e.test.ts': 39,
  'e2e:test/pipelines/ledger-outage.e2e.test.ts': 31,
  'e2e:test/documents/sign-backfill-files.e2e.test.ts': 24,
  'integration:test/pipelines/stall-slow-worker-poison.int.test.ts': 24,
  'integration:test/pipelines/stall-slow-worker.int.test.ts': 23,
  'e2e:test/cli/worker-crash.e2e.test.ts': 23,
  'e2e:test/cli/lifecycle-run-silent-redis.e2e.test.ts': 21,
  'e2e:test/pipelines/redis-outage-log.e2e.test.ts': 21,
  'integration:test/connectors/pg-source-silent.int.test.ts': 20,
  'integration:test/reconcile/repair-redis-away.int.test.ts': 20,
  'e2e:test/connectors/resume-after-kill.e2e.test.ts': 20,
  'e2e:test/pipelines/run-killed-recovery.e2e.test.ts': 20,
  'integration:test/queue/redis-sentinel-switch.int.test.ts': 18,
  'integration:test/queue/redis-sentinel.int.test.ts': 18,
  'integration:test/lifecycle/lifecycle-run-held.int.test.ts': 17,
  'e2e:test/lifecycle/reminders-kill.e2e.test.ts': 17,
  'integration:test/reconcile/repair-beside-run.int.test.ts': 15,
  'e2e:test/pipelines/run-stopped.e2e.test.ts': 15,
  'integration:test/documents/face-font-subset.int.test.ts': 14,
  'integration:test/platforms/front-db-silent-connections.int.test.ts': 14,
  'integration:test/connectors/xml-files-two-pipelines.int.test.ts': 13,
  'e2e:test/lifecycle/objection-uphold-signal.e2e.test.ts': 13,
  'integration:test/lifecycle/lifecycle-run-silent-redis.int.test.ts': 12,
  'integration:test/ops/log-scan.int.test.ts': 12,
  'integration:test/pipelines/run-stopped-ledger-silent.int.test.ts': 12,
  'integration:test/pipelines/workers-stop-hard-outage.int.test.ts': 12,
  // A whole run of the unit and integration files at load 24-48 (every file ~10x slower than
  // the figures above): the files of 110 s or more there not listed above, at a tenth of it.
  'integration:test/connectors/kingbase.int.test.ts': 36,
  'integration:test/connectors/mysql.int.test.ts': 35,
  // Split by ledger since: the PostgreSQL cases took about two thirds of the file's time.
  'integration:test/pipelines/extract-crash-each-page-postgres.int.test.ts': 19,
  'integration:test/pipelines/extract-crash-each-page.int.test.ts': 12,
  'integration:test/lifecycle/deadlines-status.int.test.ts': 26,
  'integration:test/pipelines/duplicate-key-run.int.test.ts': 25,
  'integration:test/connectors/postgres.int.test.ts': 24,
  'integration:test/ops/status-attention.int.test.ts': 23,
  'integration:test/connectors/mysql-case-accent-keys.int.test.ts': 19,
  'integration:test/ledger/commit-page.int.test.ts': 18,
  'integration:test/pipelines/run-redis-wiped-mid-run.int.test.ts': 17,
  'integration:test/queue/redis-cluster.int.test.ts': 16,
  'integration:test/audit/audit-unrecorded-windows.int.test.ts': 15,
  'integration:test/ledger/signatures-deliveries.int.test.ts': 14,
  'integration:test/audit/audit-cli.int.test.ts': 14,
  'integration:test/audit/audit-config-changes.int.test.ts': 14,
  'integration:test/lifecycle/reminder-claims.int.test.ts': 13,
  'integration:test/ledger/backlog-held-open-reads.int.test.ts': 13,
  'integration:test/pipelines/xml-exports-latest.int.test.ts': 13,
  'integration:test/lifecycle/objection-decisions.int.test.ts': 13,
  'integration:test/pipelines/dlq-replay-lost-answer.int.test.ts': 13,
  'integration:test/ops/status-failing-checks.int.test.ts': 13,
  'integration:test/pipelines/run-stopped-redis-silent.int.test.ts': 13,
  'integration:test/lifecycle/lifecycle-run-redis-silent-unattended.int.test.ts': 12,
  'integration:test/documents/render-face.int.test.ts': 12,
  'integration:test/ops/status-files-missing.int.test.ts': 12,
  'integration:test/connectors/xml-files-resume-sweep.int.test.ts': 12,
};

export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    const facts = new Map(
      files.map((spec) => {
        const key = `${spec.project.name}:${relative(root, spec.moduleId)}`;
        const last = cache.getFileTestResults(key);
        const hint = LONG_FILES[key];
        return [
          spec,
          {
            failed: last?.failed === true,
            ms: last ? last.duration : hint !== undefined ? hint * 1000 : -1,
            size: cache.getFileStats(key)?.size ?? 0,
          },
        ];
      }),
    );
    const of = (spec: TestSpecification) => facts.get(spec) ?? { failed: false, ms: -1, size: 0 };
    return [...files].sort((a, b) => {
      // Groups run one after another; the files of a project stay together (see above).
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (group !== 0) return group;
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      const fa = of(a);
      const fb = of(b);
      // A file that failed last time first, as vitest: what is being fixed answers soonest.
      if (fa.failed !== fb.failed) return fa.failed ? -1 : 1;
      return fb.ms - fa.ms || fb.size - fa.size;
    });
  }
}

/**
 * vitest.config.ts `sequence` for the command line `argv` (process.argv): this order, except
 * where it asks for the files shuffled (`--sequence.shuffle.files`, `--sequence.shuffle`), the
 * check that files run in any order (docs/testing.md). vitest shuffles files only when the config
 * names no sequencer: naming this one always kept them in this order, and the check checked nothing.
 */
export function fileSequence(argv: readonly string[]): { sequencer?: typeof LongFilesFirst } {
  let shuffle: boolean | { files?: boolean } | undefined;
  try {
    shuffle = parseCLI(['vitest', ...argv.slice(2)]).options.sequence?.shuffle;
  } catch {
    // Not vitest's command line (a tool loading the config): nothing asked for.
  }
  const shuffled = shuffle === true || (typeof shuffle === 'object' && shuffle.files === true);
  return shuffled ? {} : { sequencer: LongFilesFirst };
}
