import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Peak resident memory since the process started (VmHWM), in MB. */
  readonly peakMb: number;
  /** Resident memory now (VmRSS), in MB. */
  readonly residentMb: number;
}

function fieldKb(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match === null) {
    throw new Error(`/proc status has no ${name}`);
  }
  return Number(match[1]);
}

/** A process's resident memory as the kernel counts it (Linux /proc). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { peakMb: Math.round(fieldKb(status, 'VmHWM') / 1024), residentMb: Math.round(fieldKb(status, 'VmRSS') / 1024) };
}
