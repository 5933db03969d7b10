import { spawn } from 'node:child_process';

/** The pid of a process that has exited: a lease or lock held by it is held by no live process. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid as number;
  await new Promise((r) => child.once('exit', r));
  return pid;
}
