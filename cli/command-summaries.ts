/**
 * What `licbridge --help` lists: each command's name, one-line description and usage, as its own
 * module registers them. Top-level help is drawn from this table without importing any command's
 * code (which pulls in BullMQ, knex, axios, the dashboard, …), so `--help` starts in a fraction of
 * the time. test/cli/help-summaries.test.ts holds the table equal to the commands themselves.
 */
export const COMMAND_SUMMARIES: readonly (readonly [name: string, description: string, usage: string])[] = [
  [
    'run',
    'run pipelines to completion: extract, sign and deliver, then print a summary',
    '[options] [pipeline]',
  ],
  [
    'worker',
    'run long-lived workers until SIGTERM or SIGINT; any number of them, on one host or many, share the queues',
    '[options]',
  ],
  [
    'dlq',
    'dead letters: deliveries a platform rejected or that failed past their attempts',
    '[options] [command]',
  ],
  [
    'schedule',
    "register a job scheduler for each pipeline's `schedule` (cron) and its full check (`reconcile.schedule`), and remove stale ones; `licbridge worker` processes then run them on time",
    '[options]',
  ],
  ['catalog', 'the license catalog', '[options] [command]'],
  [
    'preview',
    'map the first rows of a pipeline and show source and license side by side; writes nothing',
    '[options] <pipeline>',
  ],
  [
    'test',
    'run the mapping tests (*.test.yaml) kept next to mappings; exit 1 when a case fails',
    '[options] [paths...]',
  ],
  ['config', 'check a config file, print its JSON Schema or its reference docs', '[options] [command]'],
  [
    'status',
    'per pipeline: last run and counts, checkpoint and lag, awaiting signature, deliveries per target, next scheduled run; queue depths and workers. Exits 3 when something needs a person.',
    '[options]',
  ],
  [
    'discover',
    'show a source’s tables, columns, row counts and key/cursor candidates; draft a mapping',
    '[options] <source>',
  ],
  ['source', 'what licbridge remembers of a source', '[options] [command]'],
  [
    'serve',
    'serve /metrics (Prometheus), /healthz, /readyz and the queue dashboard (behind serve.auth) on serve.host:serve.port (127.0.0.1:9464 by default) until SIGTERM or SIGINT',
    '[options]',
  ],
  [
    'demo',
    'run the demo department end to end: generate its legacy database and seal key if absent, start the province simulator (unless one is already up), run every pipeline, print the summary',
    '[options]',
  ],
  ['simulator', 'run a platform simulator (a real HTTP server) until SIGTERM or SIGINT', '[options] <kind>'],
  [
    'reconcile',
    'compare source ⇄ ledger ⇄ each platform, report every difference, and repair on request',
    '[options] [pipeline]',
  ],
  [
    'lifecycle',
    'the license lifecycle clock: derived expiry and expiry reminders (docs/lifecycle.md)',
    '[options] [command]',
  ],
  [
    'audit',
    'the audit trail: verify the SM3 chain, export a signed range, show one license’s entries',
    '[options] [command]',
  ],
  ['sign', 'batch signing of ledger versions', '[options] [command]'],
  [
    'verify',
    're-compute each license’s canonical form and check its signatures with the keys the config trusts; name the key behind each',
    '[options]',
  ],
  [
    'quarantine',
    'the worklist of source rows that did not become licenses, with what to fix at the source',
    '[options] [command]',
  ],
  [
    'seal',
    "the department's seal: its key, certificate request and certificate; the electronic seal (GB/T 38540) made, shown, verified",
    '[options] [command]',
  ],
  [
    'render',
    'draw a license face as it will look in its OFD file (the same layout), as PNG',
    '[options] [licenseId]',
  ],
  [
    'check',
    'check a credit code, resident ID number or license identifier and print its check character',
    '[options] <kind> <value>',
  ],
  [
    'objection',
    'objections to licenses (rules art. 16): open one, list them, uphold (correct the license) or reject it',
    '[options] [command]',
  ],
];
