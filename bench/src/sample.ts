/** A server's resident memory and CPU time, read from /proc while a load runs (Linux only). */
import { readFileSync } from 'node:fs';

function readProc(pid: number): { rssBytes: number; cpuSeconds: number } | undefined {
  try {
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssBytes: Number(rss) * 1024, cpuSeconds: ticks / 100 };
  } catch {
    return undefined;
  }
}

/** Samples `pid` until stopped; returns its peak RSS and the CPU it used, as a share of one core. */
export function sampleProcess(pid: number) {
  const started = performance.now();
  const first = readProc(pid);
  let peakRssBytes = first?.rssBytes ?? 0;
  const timer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, readProc(pid)?.rssBytes ?? 0);
  }, 100);
  return () => {
    clearInterval(timer);
    const last = readProc(pid);
    peakRssBytes = Math.max(peakRssBytes, last?.rssBytes ?? 0);
    const seconds = (performance.now() - started) / 1000;
    const cpuShare = first && last ? (last.cpuSeconds - first.cpuSeconds) / seconds : 0;
    return { peakRssBytes, cpuShare };
  };
}
