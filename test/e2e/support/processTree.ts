import { readdirSync, readFileSync } from 'node:fs';

/** A live process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Process group; a process keeps it when its parent dies and it is re-parented. */
  readonly pgid: number;
  /** argv joined by spaces. */
  readonly cmdline: string;
}

function readStat(pid: number): { ppid: number; pgid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined; // gone between readdir and read
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Whether `pid` still runs (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Every live process (zombies excluded). */
function liveProcesses(): (Omit<ProcessInfo, 'cmdline'>)[] {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = readStat(pid);
    if (stat !== undefined && stat.state !== 'Z') found.push({ pid, ppid: stat.ppid, pgid: stat.pgid });
  }
  return found;
}

/** Every live descendant of `rootPid`, parents before their children (not the root itself). */
export function descendants(rootPid: number): ProcessInfo[] {
  const children = new Map<number, Omit<ProcessInfo, 'cmdline'>[]>();
  for (const process of liveProcesses()) {
    const siblings = children.get(process.ppid) ?? [];
    siblings.push(process);
    children.set(process.ppid, siblings);
  }
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push({ ...child, cmdline: readCmdline(child.pid) });
      queue.push(child.pid);
    }
  }
  return found;
}

/** Every live process in process group `pgid`, wherever it was re-parented. */
export function processGroup(pgid: number): ProcessInfo[] {
  return liveProcesses()
    .filter((p) => p.pgid === pgid)
    .map((p) => ({ ...p, cmdline: readCmdline(p.pid) }));
}

/** Sends `signal` to `pid`; false when it is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
