// Memory figures for a benchmark child: process.memoryUsage() once loaded (the baseline) and the highest value
// of each field sampled while uploading, plus the kernel's peak RSS. Printed as one JSON line for the parent.
// Sampling stays cheap so it does not tax the process it measures: the RSS alone (one syscall) every 20 ms, the
// full breakdown (which walks the heap's spaces) every 250 ms.
import { readFileSync } from 'node:fs';
import type { RequestFigures } from './requests';

const MiB = 1024 * 1024;

export interface MemoryFigures {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface ChildResult {
  seconds: number;
  /** The kernel's high-water mark of the resident set (getrusage maxRSS), MiB. */
  peakRssMiB: number;
  /** RSS once everything is loaded, before any upload: peak minus this is what the uploading cost. */
  baseRssMiB: number;
  /** process.memoryUsage() in MiB at the baseline and the per-field maximum sampled while uploading (RSS every 20 ms,
   * the rest every 250 ms). */
  memory: { base: MemoryFigures; peak: MemoryFigures };
  failed?: number;
  /** CPU time (user + system, every thread) from the baseline to the end, seconds. */
  cpuSeconds?: number;
  /** Of that, the main thread's (where the OS tells: Linux), seconds. */
  mainThreadCpuSeconds?: number;
  /** The upload requests the child sent and their answers (bench/child/requests.ts). */
  requests?: RequestFigures;
}

function usageMiB(): MemoryFigures {
  const u = process.memoryUsage();
  const r = (n: number) => Math.round((n / MiB) * 10) / 10;
  return {
    rss: r(u.rss),
    heapTotal: r(u.heapTotal),
    heapUsed: r(u.heapUsed),
    external: r(u.external),
    arrayBuffers: r(u.arrayBuffers),
  };
}

/** Takes the baseline now, samples until `finish`, and returns the figures to report with `seconds`. */
export function watchMemory(): { finish(seconds: number, failed?: number): ChildResult } {
  const base = usageMiB();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpu();
  const peak = { ...base };
  const sample = () => {
    const now = usageMiB();
    for (const key of Object.keys(peak) as (keyof MemoryFigures)[]) peak[key] = Math.max(peak[key], now[key]);
  };
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    if (ticks % 12 === 0) sample();
    else peak.rss = Math.max(peak.rss, Math.round((process.memoryUsage.rss() / MiB) * 10) / 10);
  }, 20);
  return {
    finish(seconds, failed) {
      clearInterval(timer);
      sample();
      const used = process.cpuUsage(cpu);
      const main = mainThreadCpu();
      const result: ChildResult = {
        seconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        ...(main !== null && mainCpu !== null ? { mainThreadCpuSeconds: main - mainCpu } : {}),
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        baseRssMiB: base.rss,
        memory: { base, peak },
      };
      return failed === undefined ? result : { ...result, failed };
    },
  };
}

/** The main thread's CPU time so far (utime + stime from /proc, in clock ticks of 1/100 s), seconds; null off Linux. */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Prints the result as the child's last stdout line and exits (open sockets must not keep it alive). */
export function report(result: ChildResult): never {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
