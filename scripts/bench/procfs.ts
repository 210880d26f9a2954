import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on (USER_HZ). */
const ticksPerSecond = 100;

/** User + system CPU milliseconds a process has used so far, or NaN once it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/**
 * Fields 14 and 15 of /proc/PID/stat (utime, stime). The command name in field 2 may hold
 * spaces and parentheses, so counting starts after its closing parenthesis.
 */
export function cpuMsFromStat(stat: string): number {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Peak (VmHWM) and current (VmRSS) resident memory in MiB, from /proc/PID/status. */
export function memoryOf(pid: number): { peakRssMiB: number; rssMiB: number } {
  try {
    return memoryFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return { peakRssMiB: Number.NaN, rssMiB: Number.NaN };
  }
}

export function memoryFromStatus(status: string): { peakRssMiB: number; rssMiB: number } {
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { peakRssMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
}
