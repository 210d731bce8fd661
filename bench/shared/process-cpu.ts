// CPU time of a process, for "CPU ms per run" of the processes a benchmark spawns.
import { readFileSync } from 'node:fs';

/** CPU time (user + system, ms) a process used so far, from /proc/<pid>/stat (Linux, 100 ticks/s); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
