/**
 * `licbridge dlq list|show|replay|discard`: parses the selection, runs the use case
 * (pipelines/dead-letters.ts) and prints the dead letters as text or JSON.
 */
import type { Command } from 'commander';
import { deliveryTarget, deliveryTargetNames } from '../../config/delivery-targets.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import type { DeadLetter } from '../../ledger/ledger.js';
import {
  discardDeadLetters,
  findDeadLetter,
  listDeadLetters,
  replayDeadLetters,
  SUPERSEDED_ADVICE,
} from '../../pipelines/dead-letters.js';
import { IDLE_TIMEOUT_MS } from '../../pipelines/idle-rule.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';
import { commandFinished } from '../linger.js';
import { PROGRESS_INTERVAL_HELP, Progress, progressIntervalSeconds } from '../progress.js';
import { MAX_TIMER_MS } from '../timer-ms.js';

/** The longest `dlq replay --wait-seconds` a timer holds. */
const MAX_WAIT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

// Reasons, platform ids and errors are a platform's words: every printed field goes through
// terminalLine, so no escape sequence reaches the terminal and no value forges a line of its own.
function row(d: DeadLetter): string {
  const reason = terminalLine(d.reasons[0] ?? d.lastError ?? '');
  return `${terminalLine(d.key)}\t${d.operation}\t${d.attempts}\t${d.updatedAt.toISOString()}\t${reason.slice(0, 120)}`;
}

function json(d: DeadLetter): Record<string, unknown> {
  return { ...d, updatedAt: d.updatedAt.toISOString() };
}

export function registerDlqCommand(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('dead letters: deliveries a platform rejected or that failed past their attempts');

  dlq
    .command('list')
    .description('list dead letters, oldest version first per license')
    .option('--target <name>', 'only this target')
    .option('--pipeline <name>', 'only this pipeline')
    .option('--discarded', 'list discarded ones instead')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: { target?: string; pipeline?: string; discarded?: boolean; limit: string; json?: boolean },
        cmd: Command,
      ) => {
        // Checked before the ledger is opened: NaN or -1 reached the query (-1 is no limit in SQLite).
        const limit = Number(opts.limit);
        if (!/^\d+$/.test(opts.limit) || !Number.isSafeInteger(limit) || limit < 1) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `dlq list: expected \`--limit\` to be a whole number ≥ 1, got \`${terminalLine(opts.limit)}\``,
          );
        }
        const config = await loadCommandConfig(cmd);
        // One more than shown is read: a list cut at --limit printed `1000 dead deliveries` of
        // 5000, the count of the page read as the count of the backlog.
        const read = await listDeadLetters(config, {
          ...(opts.target ? { target: opts.target } : {}),
          ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
          ...(opts.discarded ? { discarded: true } : {}),
          limit: limit + 1,
        });
        if (read.length === 0) unknownName(config, opts, 'dlq list', 'listed delivery');
        const list = read.slice(0, limit);
        const what = `${opts.discarded ? 'discarded' : 'dead'} deliveries`;
        const cut =
          read.length > limit
            ? `the first ${limit} ${what}; more are ${opts.discarded ? 'discarded' : 'dead'} (raise --limit, or narrow by --target or --pipeline)\n`
            : '';
        if (opts.json) {
          process.stdout.write(`${terminalJson(list.map(json), 2)}\n`);
          if (cut) process.stderr.write(`dlq list: ${cut}`);
        } else {
          process.stdout.write('key\toperation\tattempts\tupdated\treason\n');
          for (const d of list) process.stdout.write(`${row(d)}\n`);
          process.stdout.write(cut || `${list.length} ${what}\n`);
        }
      },
    );

  dlq
    .command('show')
    .description('show one dead letter with every reason and the receipt')
    .argument('<key>', 'delivery key `<licenseId>:<version>:<target>`')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (key: string, opts: { json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const found = await findDeadLetter(config, key);
      if (opts.json) process.stdout.write(`${terminalJson(json(found), 2)}\n`);
      else {
        // Each value as the ledger holds it: the target and pipeline too, which its key holds and
        // whose rows a database edit may have changed, are shown as plain text.
        process.stdout.write(
          `key:       ${terminalLine(found.key)}\nstate:     ${terminalLine(found.state)}\npipeline:  ${terminalLine(found.pipeline)}\ntarget:    ${terminalLine(found.target)}\n` +
            `operation: ${terminalLine(found.operation)}\nattempts:  ${found.attempts}\nupdated:   ${found.updatedAt.toISOString()}\n` +
            `platform:  ${terminalLine(found.platformId ?? '-')}\nreasons:\n${found.reasons.map((r) => `  - ${terminalLine(r)}`).join('\n')}\n`,
        );
      }
    });

  dlq
    .command('replay')
    .description('send dead letters again (after fixing their data or the target config)')
    .argument('[keys...]', 'delivery keys; with none, every dead letter (of --target)')
    .option('--target <name>', 'only this target')
    .option('--all', 'required to replay every dead letter when no key is given')
    .option('--note <text>', 'why, kept in the ledger with the action')
    .option('--no-wait', 'only enqueue; running workers deliver them')
    .option(
      '--wait-seconds <n>',
      'how long to wait for the replayed deliveries to be final; the time a worker sends one is not counted',
      String(IDLE_TIMEOUT_MS / 1000),
    )
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        keys: string[],
        opts: {
          target?: string;
          all?: boolean;
          note?: string;
          wait: boolean;
          waitSeconds: string;
          progressInterval?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if (keys.length === 0 && !opts.all && !opts.target) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            'dlq replay: name delivery keys, or pass --target or --all',
          );
        }
        oneSelection('dlq replay', keys, opts, '--target or --all');
        // The wait becomes a timer, which holds at most MAX_TIMER_MS: a longer one fired at once,
        // and the replay failed at once saying Redis had not answered for that long.
        const waitSeconds = Number(opts.waitSeconds);
        if (!/^\d+$/.test(opts.waitSeconds) || waitSeconds < 1 || waitSeconds > MAX_WAIT_SECONDS) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `dlq replay: expected \`--wait-seconds\` to be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}, got \`${terminalLine(opts.waitSeconds)}\``,
          );
        }
        const interval = progressIntervalSeconds('dlq replay', opts.progressInterval);
        const config = await loadCommandConfig(cmd);
        // A mistyped target replayed nothing and exited 0; only a delivery target can be replayed to.
        if (opts.target !== undefined && deliveryTarget(config, opts.target) === undefined) {
          const known = deliveryTargetNames(config);
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `dlq replay: unknown \`--target\` \`${terminalLine(opts.target)}\`; the config's delivery targets: ${known.join(', ') || 'none'}`,
          );
        }
        const logger = commandLogger(config);
        // The replayed deliveries final so far, on stderr while it waits (counts only); none
        // under --json, as `run` and `demo` (docs/operations.md).
        let progress: Progress | undefined;
        const options = { intervalSeconds: interval, onlyPastInterval: true };
        let result: Awaited<ReturnType<typeof replayDeadLetters>>;
        try {
          result = await replayDeadLetters(config, {
            timeoutMs: waitSeconds * 1000,
            ...(keys.length > 0 ? { keys } : {}),
            ...(opts.target ? { target: opts.target } : {}),
            ...(opts.note ? { note: opts.note } : {}),
            wait: opts.wait,
            ...(opts.json
              ? {}
              : {
                  onWaiting: (final: number, replayed: number) => {
                    progress ??= new Progress('dlq replay: deliveries final', replayed, options);
                    progress.set(final);
                  },
                }),
            logger,
          });
        } finally {
          progress?.finish();
        }
        const { replayed, outcomes, skipped, superseded, settled, more } = result;
        const notDead = keysNotMoved(keys, replayed);
        const accepted = outcomes.filter((o) => o.state === 'accepted').length;
        const dead = outcomes.filter((o) => o.state === 'dead');
        // Still queued when the wait ended: not delivered yet, and not to be reported as done.
        const open = outcomes.filter(
          (o) => o.state !== 'accepted' && o.state !== 'dead' && o.state !== 'discarded',
        );
        if (opts.json) {
          process.stdout.write(
            `${terminalJson(
              {
                replayed: replayed.length,
                // Without it, `accepted: 0` read as "none was accepted" where none was waited for.
                waited: opts.wait,
                accepted,
                dead: dead.map((d) => ({ key: d.key, reasons: d.reasons })),
                notFinal: open.map((o) => ({ key: o.key, state: o.state })),
                // The first 100 (LEFT_DEAD_LISTED) of the letters left dead; the count of all, only then.
                skipped: skipped.map((d) => ({ key: d.key, pipeline: d.pipeline, target: d.target })),
                ...(result.skippedCount > 0 ? { skippedCount: result.skippedCount } : {}),
                // Only when some were left dead: a replay's output keeps its shape otherwise.
                ...(result.supersededCount > 0
                  ? {
                      superseded: {
                        count: result.supersededCount,
                        keys: superseded.map((d) => d.key),
                        advice: SUPERSEDED_ADVICE,
                      },
                    }
                  : {}),
                // Only when some were left for another run, as `superseded`.
                ...(more ? { more: true } : {}),
                notDead,
              },
              2,
            )}\n`,
          );
        } else if (!opts.wait) {
          process.stdout.write(
            `replayed ${replayed.length}; queued, not waited for (--no-wait): a running licbridge worker or the next run delivers them\n`,
          );
          if (notDead.length > 0) process.stdout.write(notMovedLine(notDead, 'replayed'));
          if (result.skippedCount > 0) process.stdout.write(skippedLine(result));
          if (result.supersededCount > 0) process.stdout.write(supersededLine(result.supersededCount));
          if (more) process.stdout.write(moreLine('dlq replay'));
        } else {
          process.stdout.write(
            `replayed ${replayed.length}; accepted ${accepted}; dead again ${dead.length}${open.length > 0 ? `; not final yet ${open.length}` : ''}\n`,
          );
          for (const d of dead)
            process.stdout.write(`  ${terminalLine(d.key)}: ${d.reasons.map(terminalLine).join('; ')}\n`);
          if (!settled && open.length > 0) {
            process.stdout.write(
              `  ${open.length} still queued when the wait ended (the platform did not answer for good): a running licbridge worker or the next run delivers them; see licbridge status\n`,
            );
          }
          if (notDead.length > 0) process.stdout.write(notMovedLine(notDead, 'replayed'));
          if (result.skippedCount > 0) process.stdout.write(skippedLine(result));
          if (result.supersededCount > 0) process.stdout.write(supersededLine(result.supersededCount));
          if (more) process.stdout.write(moreLine('dlq replay'));
        }
        if (
          dead.length > 0 ||
          open.length > 0 ||
          result.skippedCount > 0 ||
          result.supersededCount > 0 ||
          more
        )
          process.exitCode = EXIT_FAILED;
        // Its workers stopped (hard, after a Redis outage): a connection left reconnecting must not
        // keep the process up after it printed its outcome (cli/linger.ts).
        commandFinished('dlq replay', logger);
      },
    );

  dlq
    .command('discard')
    .description('close dead letters without sending them (kept as `discarded`, with the action logged)')
    .argument('[keys...]', 'delivery keys')
    .option('--target <name>', 'every dead letter of this target (with --all)')
    .option('--all', 'required to discard every dead letter of --target')
    .option('--note <text>', 'why, kept in the ledger with the action')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        keys: string[],
        opts: { target?: string; all?: boolean; note?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (keys.length === 0 && !(opts.all && opts.target)) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            'dlq discard: name delivery keys, or pass --target T --all',
          );
        }
        oneSelection('dlq discard', keys, opts, '--target T --all');
        const config = await loadCommandConfig(cmd);
        const { discarded: moved, more } = await discardDeadLetters(config, {
          ...(keys.length > 0 ? { keys } : {}),
          ...(opts.target ? { target: opts.target } : {}),
          ...(opts.note !== undefined ? { note: opts.note } : {}),
        });
        // Nothing discarded: a mistyped `--target` printed `discarded 0` and exited 0.
        if (moved.length === 0) unknownName(config, { target: opts.target }, 'dlq discard', 'dead letter');
        const notDead = keysNotMoved(keys, moved);
        if (opts.json)
          process.stdout.write(
            `${terminalJson({ discarded: moved.map((d) => d.key), ...(more ? { more: true } : {}), notDead }, 2)}\n`,
          );
        else
          process.stdout.write(
            `discarded ${moved.length}\n${notDead.length > 0 ? notMovedLine(notDead, 'discarded') : ''}${more ? moreLine('dlq discard') : ''}`,
          );
      },
    );
}

/**
 * Named keys, or a whole list (`--target`, `--all`): one way of choosing. Given both, the keys
 * alone were acted on and the other dropped unsaid — `dlq discard K --target city` closed K, a
 * province dead letter, for good — so neither is taken.
 */
function oneSelection(
  command: string,
  keys: readonly string[],
  opts: { target?: string; all?: boolean },
  whole: string,
): void {
  if (keys.length === 0 || (opts.target === undefined && !opts.all)) return;
  const also = [opts.target !== undefined && '--target', opts.all && '--all'].filter(Boolean).join(' and ');
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `${command}: name delivery keys, or pass ${whole}, not both (got ${keys.length} key(s) and ${also}); nothing was done`,
  );
}

/**
 * An empty list of a `--target` or `--pipeline` the config does not have: a typo (`provnce`)
 * printed `0 dead deliveries` and read as "province is clear", and `dlq discard` `discarded 0` as
 * "closed". One removed from the config whose dead letters remain is listed and discarded as before
 * (licbridge status names it, dlq replay leaves its letters to a discard), so only an empty one is refused.
 */
function unknownName(
  config: Readonly<Config>,
  opts: { target?: string | undefined; pipeline?: string | undefined },
  command: string,
  what: string,
): void {
  for (const [flag, name, known] of [
    ['--target', opts.target, Object.keys(config.targets)],
    ['--pipeline', opts.pipeline, Object.keys(config.pipelines)],
  ] as const) {
    if (name === undefined || known.includes(name)) continue;
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${command}: unknown \`${flag}\` \`${terminalLine(name)}\`: not in the config, and no ${what} names it; the config's: ${known.join(', ') || 'none'}`,
    );
  }
}

/**
 * The keys an operator named that the ledger did not move: not dead when the command read them
 * (already replayed, discarded or delivered; a key that is no delivery is refused before,
 * pipelines/dead-letters-taken.ts `refuseUnknownKeys`), or changed by a job between that
 * read and the write (ledger/dead-letters.ts writes only over the row as read).
 */
function keysNotMoved(named: readonly string[], moved: readonly DeadLetter[]): string[] {
  const done = new Set(moved.map((d) => d.key));
  return [...new Set(named)].filter((k) => !done.has(k));
}

function skippedLine(r: { skippedCount: number; skippedWhere: readonly string[] }): string {
  const where = r.skippedWhere.join(', ');
  return `  ${r.skippedCount} left dead: their pipeline or target is not in the config, or their pipeline no longer delivers to the target (${terminalLine(where)}); put it back, or close them with licbridge dlq discard\n`;
}

/** Dead letters left past the 100,000 one `--all`/`--target` takes (pipelines/dead-letters.ts). */
function moreLine(command: string): string {
  return `  more dead letters are left than one run takes (100,000): run ${command} again for the rest\n`;
}

function supersededLine(count: number): string {
  return `  ${count} left dead: ${SUPERSEDED_ADVICE}\n`;
}

function notMovedLine(keys: readonly string[], verb: string): string {
  const shown = keys.slice(0, 10).map(terminalLine).join(', ');
  const more = keys.length > 10 ? `, and ${keys.length - 10} more` : '';
  return `  ${keys.length} named not ${verb}: not a dead letter now (already replayed, discarded or delivered, or changed since it was read): ${shown}${more}\n`;
}
