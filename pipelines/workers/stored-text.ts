/**
 * What a sign or deliver job does with versions whose stored license text is corrupt (it does not
 * read, or no longer matches the content hash its version and signature record), which the stage
 * left out of its batch (stages/sign.ts, stages/deliver-items.ts): they are quarantined
 * `LB_STORED_TEXT` in the job's run and audited (ledger/stored-text-quarantine.ts), a warning names
 * them by license id and version, and the rest of the batch goes on. One version used to fail the
 * whole job, every other license of its batch with it.
 *
 * A version left unsigned keeps the run that wrote it from ever being `done` (every version it
 * created signed and delivered, ledger/runs.ts): that run, while still `running`, is ended
 * `failed` with a reason naming them, so `status` and `licbridge run` say a person is needed, not
 * a run that never ends. A version dead-lettered at a target ends its delivery as any dead letter.
 */
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { QuarantinedStoredText, StageStoredTextInput } from '../../ledger/stored-text-quarantine.js';

/** At most this many versions are named in a warning or a run's failure; the count says how many in all. */
const NAMED = 5;

function named(versions: readonly QuarantinedStoredText[]): string {
  const shown = versions.slice(0, NAMED).map((v) => `license ${v.licenseId} version ${v.version}`);
  return `${shown.join(', ')}${versions.length > NAMED ? `, and ${versions.length - NAMED} more` : ''}`;
}

export async function quarantineCorruptTexts(
  ledger: Pick<Ledger, 'quarantineStoredText' | 'finishRun'>,
  log: Logger,
  input: StageStoredTextInput,
): Promise<QuarantinedStoredText[]> {
  if (input.corrupt.length === 0) return [];
  const found = await ledger.quarantineStoredText(input);
  const left = input.stage === 'sign' ? 'left unsigned and undelivered' : 'dead-lettered, not sent';
  // License ids, version numbers and what is wrong only: never a value of the text.
  log.warn(
    {
      pipeline: input.pipeline,
      runId: input.runId,
      ...(input.target === undefined ? {} : { target: input.target }),
      versions: found.length,
      first: found
        .slice(0, NAMED)
        .map((v) => ({ licenseId: v.licenseId, version: v.version, problem: v.problem })),
    },
    `${input.stage}: pipeline ${input.pipeline}: ${found.length} version(s) ${left}: their stored license text is corrupt (it does not read, or does not match the content hash its version records); quarantined LB_STORED_TEXT. \`licbridge verify --license <id>\` shows what the ledger holds; the rest of the batch goes on`,
  );
  if (input.stage === 'sign') {
    const byRun = new Map<string, QuarantinedStoredText[]>();
    for (const v of found) byRun.set(v.createdBy, [...(byRun.get(v.createdBy) ?? []), v]);
    for (const [runId, versions] of byRun) {
      await ledger.finishRun(runId, {
        state: 'failed',
        error: `sign: ${versions.length} version(s) of this run not signed, so not delivered: their stored license text is corrupt [LB_STORED_TEXT]: ${named(versions)}; restore the text in the ledger (\`licbridge quarantine list --reason LB_STORED_TEXT\` names them), and the next run signs and delivers them`,
      });
    }
  }
  return found;
}
