// CPU time of processes, for "CPU ms per run" of the processes a benchmark spawns or drives.
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after the command name (field 3 onwards), or undefined. */
function statFields(pid: number | string | undefined): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined;
  }
}

/** /proc/<pid>/stat counts in ticks of 1/100 s (Linux). */
const ticksToMs = (ticks: number): number => (ticks * 1000) / 100;

/** CPU time (user + system, ms) a process used so far, from /proc/<pid>/stat (Linux); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  const fields = statFields(pid);
  return fields ? ticksToMs(Number(fields[11]) + Number(fields[12])) : Number.NaN;
}

/**
 * CPU time (ms) of every process named `command` on this machine (e.g. `postgres`: the postmaster
 * and its backends), counting the backends that exited through their parent's `cutime`/`cstime`.
 * A delta of two readings is the CPU those processes spent in between (a backend that exits in
 * between is counted once, by its parent). NaN where /proc is missing.
 */
export function commandCpuMs(command: string): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== command) continue;
    const fields = statFields(pid);
    if (!fields) continue;
    // utime, stime, and the exited children it waited for (cutime, cstime): fields 14-17 of stat
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticksToMs(ticks);
}

/** Busy CPU time (ms, summed over all cores: everything but idle and iowait) of the whole machine so far, from /proc/stat; NaN elsewhere. */
export function machineBusyMs(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return ticksToMs(user! + nice! + system! + irq! + softirq! + steal!);
  } catch {
    return Number.NaN;
  }
}
