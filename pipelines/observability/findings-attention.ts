/**
 * What `status` says of a pipeline's last run and of its checks' findings: a run abandoned or
 * failed, a source that shrank, keys missed or deleted at the source, and licenses a platform
 * holds otherwise than the ledger.
 */
import type { StoredReport } from '../../ledger/audit-types.js';
import type { StoredRun } from '../../ledger/ledger.js';
import type { Attention } from './attention.js';
import { checkGap, gapNames, platformGap, sourceShrunk, standInsNotSeen } from './check-attention.js';
import type { RunStage } from './status-types.js';

/** The last run abandoned (why, by whether a process owned it) or failed, with what to do. */
export function runAttention(pipeline: string, run: StoredRun | null, stage: RunStage | null): Attention[] {
  if (run && stage === 'abandoned') {
    const why = run.owner
      ? 'its process stopped before the work was done'
      : 'its extract job is gone before the extraction was over';
    return [
      {
        kind: 'run-abandoned',
        message: `pipeline ${pipeline}: run ${run.runId} was abandoned: ${why}; \`licbridge run ${pipeline}\` finishes it`,
      },
    ];
  }
  if (run?.state === 'failed') {
    return [
      {
        kind: 'run-failed',
        message: `pipeline ${pipeline}: last run ${run.runId} failed: ${run.error ?? 'no reason recorded'}; fix the cause, then \`licbridge run ${pipeline}\``,
      },
    ];
  }
  return [];
}

/**
 * What the last check found of the source (`latest`, light or full): a source that shrank, said
 * first and on its own so nobody applies a deletion policy to it blindly, else keys missed or
 * deleted there, and stand-in keys no row gives any more.
 */
export function sourceFindingsAttention(
  pipeline: string,
  source: string,
  latest: StoredReport | undefined,
): Attention[] {
  if (!latest) return [];
  const shrunk = sourceShrunk(latest);
  if (shrunk) {
    // Far fewer keys than licenses: an emptied table or view, an export folder read as empty.
    return [
      {
        kind: 'source-shrunk',
        message: `pipeline ${pipeline}: source ${source} held ${shrunk.sourceKeys} key(s) at the last check (report ${latest.reportId}) while the ledger holds ${shrunk.ledgerLicenses} license(s): ${shrunk.deleted} look deleted at the source, above \`reconcile.maxRepairShare\`; check the source (an emptied table or view, a moved export folder) before any repair`,
      },
    ];
  }
  const notes: Attention[] = [];
  const gap = checkGap(latest);
  if (gap) {
    notes.push({
      kind: 'check-gap',
      message: `pipeline ${pipeline}: the last check (report ${latest.reportId}) found ${gap.missed} missed and ${gap.deleted} deleted-at-source key(s)${gapNames(latest, gap)}; \`licbridge reconcile ${pipeline}\` names them, \`--repair\` applies the policy`,
    });
  }
  const standIns = standInsNotSeen(latest);
  if (standIns > 0) {
    notes.push({
      kind: 'quarantine-stand-ins',
      message: `pipeline ${pipeline}: the last check (report ${latest.reportId}) counted ${standIns} stand-in key(s) of rows without a key that no row of the source gives any more; their entries stay on the worklist until closed: once the business system shows the key filled in and the license issued, \`licbridge quarantine resolve <key> --pipeline ${pipeline} --reason LB_SOURCE_KEY_MISSING\` closes each (the check's report names them; an export folder's: see docs/troubleshooting.md)`,
    });
  }
  return notes;
}

/**
 * What the last full check found at the platforms. Platforms are compared by full checks only: the
 * light check after each run asks none, so it says nothing about them, and the last full check's
 * findings still stand. Every kind platformGap counts is named, an entry of the platform's listing
 * that cannot be read back into a license (`unreadable-at-platform`) too.
 */
export function platformFindingsAttention(pipeline: string, lastFull: StoredReport | undefined): Attention[] {
  const platform = lastFull ? platformGap(lastFull) : undefined;
  if (!lastFull || !platform) return [];
  return [
    {
      kind: 'check-platform',
      message: `pipeline ${pipeline}: the last check (report ${lastFull.reportId}) found ${platform} license(s) a platform holds otherwise than the ledger (missing, unknown, another status or content, or an entry that cannot be read); \`licbridge reconcile ${pipeline}\` names them, \`--repair\` re-delivers what a platform lacks, adopts and revokes a license no source row stands behind when \`reconcile.unknownAtPlatform\` is \`revoke\`, and flags what was changed or cannot be read there; a license whose source row is quarantined it only flags: correct that record (\`licbridge quarantine list --pipeline ${pipeline}\`), and the next run issues it again`,
    },
  ];
}
