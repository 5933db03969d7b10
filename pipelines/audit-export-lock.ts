/**
 * One `audit export` of a name at a time: `<out>.lock`, its takeover when its process is gone from
 * this host, and what a refused export is told (audit-export-write.ts).
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readFile, rm } from 'node:fs/promises';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { terminalLine } from '../core/terminal-text.js';
import { FILE_MODE, onDisk, writeAll } from './audit-export-disk.js';
import { ownerGone, processOwner } from './run-liveness.js';

/**
 * Claims `<out>.lock` (made with O_EXCL, holding `<host> <pid>` and a tag of this claim) for one
 * export at a time; returns its removal. Two exports told the same `--out` at once renamed their
 * files into place one after the other, and their renames could interleave: the entries of one
 * beside the signature of the other, three files that look like a whole export and do not verify.
 * A lock already there refuses this export, naming who holds it. One left by a process gone from
 * this host (killed while it wrote: no `finally` runs then) is taken over (`takeOver`), else a
 * killed export stopped every later one until someone removed the file.
 */
export async function lockExport(out: string): Promise<() => Promise<void>> {
  const lock = `${out}.lock`;
  const claim = `${processOwner()}\n${randomBytes(8).toString('hex')}\n`;
  for (let tookOver = false; ; tookOver = true) {
    let handle: FileHandle;
    try {
      handle = await open(lock, 'wx', FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return onDisk(out, () => Promise.reject(e));
      const held = await readFile(lock, 'utf8').catch(() => undefined);
      // Gone since (its export ended), or its process gone: claimed again, once.
      if (!tookOver && held === undefined) continue;
      const taken =
        !tookOver && held !== undefined && ownerGone(holderOf(held))
          ? await takeOver(lock, held)
          : { taken: false, left: [] };
      if (taken.taken) continue;
      throw new LicbridgeError(ErrorCodes.USAGE, lockedMessage(out, lock, holderOf(held ?? ''), taken.left), {
        context: { file: out },
      });
    }
    try {
      await onDisk(out, () => writeAll(handle, Buffer.from(claim, 'utf8')));
    } catch (e) {
      // A lock holding no claim would refuse every later export as one still writing.
      await handle.close();
      await rm(lock, { force: true });
      throw e;
    }
    await handle.close();
    // An export written whole is reported so even when its lock cannot be removed (a folder made
    // read-only meanwhile): the next export names the lock left, and takes it over once its process is gone.
    return () => rm(lock, { force: true }).catch(() => undefined);
  }
}

/** The `<host> <pid>` line of a lock's text. */
function holderOf(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}

/** How a takeover ended: the lock removed, or not, with the guard files it found left by takers gone. */
interface TakeOver {
  taken: boolean;
  /** Guards no live taker holds (`<lock>.takeover`, …), for the person to remove: outermost first. */
  left: string[];
}

/**
 * Removes `lock` if it still holds `held` (a claim of a process gone), one taker at a time: each
 * holds `<lock>.takeover` (O_EXCL, holding `<host> <pid>` and a tag) while it reads the lock again
 * and removes it, so none removes a lock another export claimed after the stale one was read (the
 * claim's tag tells two claims of one pid apart). Then the caller claims the lock as any export does.
 *
 * A taker killed in between leaves its guard, and no later stale lock was ever taken over again:
 * each export was refused naming the lock alone. A guard naming a process gone from this host is
 * taken over the same way, one level down (`nested`: its own guard `<lock>.takeover.takeover`),
 * since removing it unguarded could remove the guard a live taker made meanwhile. A guard that names
 * no process (killed before its claim was written, or written empty by an earlier release) cannot
 * be judged: it is returned in `left`, to be named. Not taken when another takes over meanwhile.
 */
async function takeOver(lock: string, held: string, nested = false): Promise<TakeOver> {
  const guard = `${lock}.takeover`;
  let handle: FileHandle | undefined;
  for (let tries = 0; handle === undefined; tries += 1) {
    try {
      handle = await open(guard, 'wx', FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) return { taken: false, left: [] };
      const text = await readFile(guard, 'utf8').catch(() => undefined);
      // Its taker ended meanwhile: tried once more.
      if (text === undefined) continue;
      const taker = holderOf(text);
      if (taker !== '' && !ownerGone(taker)) return { taken: false, left: [] };
      if (taker === '' || nested) return { taken: false, left: [guard] };
      const inner = await takeOver(guard, text, true);
      // Not taken as another taker got there first: the guard is a live taker's now, not left.
      if (!inner.taken) return { taken: false, left: inner.left.length === 0 ? [] : [guard, ...inner.left] };
    }
  }
  try {
    // Unwritten (a full disk), the guard is still held, and removed below.
    await writeAll(
      handle,
      Buffer.from(`${processOwner()}\n${randomBytes(8).toString('hex')}\n`, 'utf8'),
    ).catch(() => undefined);
    if ((await readFile(lock, 'utf8').catch(() => undefined)) !== held) return { taken: false, left: [] };
    await rm(lock, { force: true });
    return { taken: true, left: [] };
  } finally {
    await handle.close();
    await rm(guard, { force: true }).catch(() => undefined);
  }
}

/**
 * Why an export found `lock` there, `held` its `<host> <pid>`: who holds it, and what to do; `left`
 * the guards of takeovers killed midway, which stop every later takeover until removed too.
 */
function lockedMessage(out: string, lock: string, held: string, left: readonly string[]): string {
  const cut = held.lastIndexOf(' ');
  const who =
    cut > 0 ? `host ${terminalLine(held.slice(0, cut))} pid ${terminalLine(held.slice(cut + 1))}` : undefined;
  if (who !== undefined && ownerGone(held)) {
    const guards =
      left.length === 0
        ? ''
        : `, and a takeover of it that did not finish left ${left.join(' and ')}, which stops every takeover`;
    return `audit: export failed: ${out} is locked by ${lock}, but its process (${who}) is gone${guards}: remove ${[lock, ...left].join(' and ')} and export again; nothing was written`;
  }
  return `audit: export failed: ${out} is being written by another export (${lock}${who === undefined ? '' : `, ${who}`}); nothing was written: export again once it has ended, or to another --out`;
}
