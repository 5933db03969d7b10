/**
 * The lock of a store's issuing run (`LicenseFileStore.lock`): one issuing run per store, a lock
 * left by a process of this host that is gone taken over, and never another run's lock removed.
 */
import { hash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

/** The lock file of a store's issuing run, at the store's root. */
export const STORE_LOCK = '.licbridge-issuing.lock';

interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** Random, this run's: its lock told from another's of the same process and millisecond. */
  run?: string;
}

/** A lock holder's field as the refusal shows it: `?` when a half-written lock lacks it. */
const shown = (value: string | number | undefined): string => (value === undefined ? '?' : String(value));

/** Whether a process of this host is gone (a lock it left is stale). */
/**
 * Creates `file` with `text` in one step, or returns false when it exists: written beside it and
 * hard-linked into place (a link never replaces a file), so no other run ever reads a lock half
 * written and takes its holder for unknown.
 */
async function createWhole(file: string, text: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
  await writeFile(draft, text, { mode: 0o600 });
  try {
    await link(draft, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

function lockHolder(text: string): Partial<LockHolder> {
  try {
    return JSON.parse(text) as Partial<LockHolder>;
  } catch {
    // Written half by a run killed at that moment: judged like any unknown holder.
    return {};
  }
}

/**
 * Removes a stale lock, if it is still the one that was read (`seen`), and never any other. Two
 * runs that find the same stale lock both try, and the slower may come to it after the faster has
 * made its own lock there. Each first claims the stale lock: a hard link to whatever lock is there,
 * under a name made from the stale lock's text, which only one run can make (a link never replaces
 * a file). The run that makes it reads it: the stale lock, which it removes — no other run can
 * remove or replace it meanwhile (the others' claims fail, and a lock is only ever made where none
 * is) — or a lock made since, which it leaves where it is. A lock moved aside to be read, as it
 * was before, left its name free for a moment: a third run made its lock there, the lock could
 * not be put back, and two runs held the store. A run killed holding a claim leaves the stale lock
 * in place, and the refusal says to remove it.
 */
export async function takeOver(file: string, seen: string, io: LockFiles = LOCK_FILES): Promise<void> {
  const claim = `${file}.${hash('sm3', seen, 'hex').slice(0, 16)}.taking`;
  try {
    await io.link(file, claim);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Gone (released, or taken over already), or another run is taking this very lock over.
    if (code === 'ENOENT' || code === 'EEXIST') return;
    throw e;
  }
  try {
    if ((await io.readFile(claim, 'utf8')) === seen) await io.unlink(file);
  } finally {
    await io.unlink(claim).catch(() => undefined);
  }
}

/**
 * Removes this run's lock (`mine`, its text), and only it: the refusal tells an operator to
 * remove a lock whose run is gone, and one removed while its run was still issuing let the next
 * run take the store — whose lock the first run, finishing, removed as its own, so a third run
 * could start beside the second. No other run removes a lock of a live run (`takeOver`), so the
 * lock read as this run's is still its own when it goes.
 */
async function release(file: string, mine: string): Promise<void> {
  const there = await readFile(file, 'utf8').catch(() => null);
  if (there === mine) await unlink(file).catch(() => undefined);
}

/**
 * How often, and how long each time, a run waits for another that claimed the same stale lock
 * first to remove it (`lock`): 2 s in all, then the stale lock is named (a run killed holding its
 * claim leaves it in place).
 */
const TAKEOVER_WAITS = 100;
const TAKEOVER_WAIT_MS = 20;

/** The calls taking a lock over makes (a test runs another run's step between two of them). */
export interface LockFiles {
  link(existing: string, name: string): Promise<void>;
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  unlink(file: string): Promise<void>;
}

const LOCK_FILES: LockFiles = { link, readFile, unlink };

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Flushes a folder's entries to disk (a file renamed into it or removed, a folder made in it). */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Takes the store for one issuing run: two runs writing the same versions would replace each
 * other's files at the same paths while the ledger keeps the first one's SM3. A second run is
 * refused, naming the holder; a lock left by a process of this host that is gone is taken over.
 * Returns the release.
 */
export async function lockStore(root: string, dirMode: number): Promise<() => Promise<void>> {
  // The root made here is a new entry in its parent (and so is each folder made above it): the
  // batch writer, which finds the root there, flushes the root but not its parent, so without
  // this a power cut could take the new store away with the files the ledger records in it.
  const top = await mkdir(root, { recursive: true, mode: dirMode });
  for (let d = root; top !== undefined && dirname(d) !== d; d = dirname(d)) {
    await syncFolder(dirname(d));
    if (d === top) break;
  }
  const file = join(root, STORE_LOCK);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    run: randomBytes(8).toString('hex'),
  };
  const mine = JSON.stringify(me);
  const refused = (holder: Partial<LockHolder>) =>
    new LicbridgeError(
      ErrorCodes.USAGE,
      `file store ${root}: another run is issuing files into it (process ${shown(holder.pid)} on ${shown(holder.host)} since ${shown(holder.since)}); let it finish, or remove ${file} if that run is gone`,
    );
  let tookOver: string | undefined;
  let last: Partial<LockHolder> = {};
  for (let tries = 0, waits = 0; tries < 10; tries++) {
    if (await createWhole(file, mine)) return () => release(file, mine);
    const seen = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT' ? null : '',
    );
    // Gone between the two calls: another run took a stale lock over, or released it. Again.
    if (seen === null) continue;
    last = lockHolder(seen);
    const stale = last.host === me.host && typeof last.pid === 'number' && gone(last.pid);
    if (!stale) throw refused(last);
    if (tookOver === seen && waits < TAKEOVER_WAITS) {
      // Still the stale lock this run tried to take over: another run claimed it first and is
      // removing it now. Its own lock follows, and is the one to name: refused at once, this run
      // named the process gone and told to remove its lock, while a live run held the store.
      waits++;
      tries--;
      await new Promise((resolve) => setTimeout(resolve, TAKEOVER_WAIT_MS));
      continue;
    }
    if (tookOver !== undefined) throw refused(last);
    // Once: whether this run removed the stale lock or another run was first, the next try
    // creates the lock or names the run that holds it now.
    tookOver = seen;
    await takeOver(file, seen);
  }
  throw refused(last);
}
