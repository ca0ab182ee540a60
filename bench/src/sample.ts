/** A server's resident memory and CPU time, read from /proc while a load runs (Linux only). */
import { cpuSeconds, residentBytes } from '@netprog/shared/proc';

// Either read fails once the process has gone; the last good reading stands.
function readProc(pid: number): { rssBytes: number; cpuSeconds: number } | undefined {
  try {
    return { rssBytes: residentBytes(pid), cpuSeconds: cpuSeconds(pid) };
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
