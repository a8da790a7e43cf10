/**
 * Which process owns a running run, and whether that process is still alive. A run whose owner died (VS Code closed,
 * the CLI killed) is shown as interrupted. On the same host the answer comes from the process table: the pid must exist
 * and, on Linux, have the same start time (so a recycled pid does not look alive). From another host (a shared folder)
 * only the heartbeat can tell: a run whose heartbeat is older than STALE_HEARTBEAT_MS is taken as interrupted.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface RunOwner {
  pid: number;
  host: string;
  /** Linux: the process start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTicks?: number;
}

/** How often a runner refreshes the heartbeat of its active runs. */
export const HEARTBEAT_MS = 15_000;
/** How often a runner looks for stop requests from other processes (a file stat per active run). */
export const STOP_POLL_MS = 1_000;
/** A heartbeat older than this (owner on another host) means the owner is gone. */
export const STALE_HEARTBEAT_MS = 8 * HEARTBEAT_MS;

/** Start time of a process from /proc (Linux), or undefined where there is no /proc or no such process. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: fields after it start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[19]); // field 22 overall: 3 + 19
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

let self: RunOwner | undefined;

export function currentOwner(): RunOwner {
  self ??= { pid: process.pid, host: os.hostname(), startTicks: processStartTicks(process.pid) };
  return { ...self };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sameOwner(a: RunOwner, b: RunOwner): boolean {
  return a.pid === b.pid && a.host === b.host && a.startTicks === b.startTicks;
}

/**
 * True when the owner process is (as far as can be told) still running. `heartbeatAt` (ISO time) decides for owners on
 * another host, and backs up the pid check where process start times cannot be read.
 */
export function ownerAlive(owner: RunOwner, heartbeatAt: string | undefined, now = Date.now()): boolean {
  const beat = heartbeatAt ? Date.parse(heartbeatAt) : NaN;
  const fresh = Number.isFinite(beat) && now - beat < STALE_HEARTBEAT_MS;
  if (owner.host !== os.hostname()) return fresh;
  if (!pidExists(owner.pid)) return false;
  const ticks = owner.startTicks !== undefined ? processStartTicks(owner.pid) : undefined;
  // Where start times can be compared they decide; elsewhere a live pid could be a recycled one, so the heartbeat must be fresh too.
  return ticks !== undefined ? ticks === owner.startTicks : fresh;
}
