/**
 * The HTTP targets, measured in pairs: two servers share one core (CPU 0) and two wrk processes share the other
 * (CPU 1), loading both at once. Run one after the other, two servers see different seconds of a machine whose
 * speed drifts by a quarter between seconds; run at once on one core, the scheduler gives each half of the same
 * core at the same instant, so the ratio of their rates is the ratio of their costs per request, whatever the
 * machine does meanwhile. A server paired with a second copy of itself shows how close to 1 the method gets.
 */
import { startServer } from '@netprog/shared/program';
import { httpLoad } from './http-load.ts';
import { median } from './median.ts';
import { pinServer } from './pin.ts';
import type { Subject } from './plan.ts';

export interface Pair {
  /** The server measured, and the one it is held to. */
  subject: Subject;
  against: Subject;
  /** subject's rate over against's, one per round. */
  ratios: number[];
  median: number;
}

export async function measurePair(
  subject: Subject,
  against: Subject,
  options: { rounds: number; durationMs: number; warmUpMs: number },
): Promise<Pair> {
  const servers = [
    await startServer(subject.file, { args: subject.args }),
    await startServer(against.file, { args: against.args }),
  ];
  try {
    for (const server of servers) pinServer(server.pid);
    const both = (durationMs: number) =>
      Promise.all(
        servers.map((server) => httpLoad({ port: server.port, path: '/', connections: 50, durationMs, pinned: true })),
      );
    await both(options.warmUpMs);
    const ratios: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const [ours, theirs] = await both(options.durationMs);
      ratios.push((ours?.requestsPerSecond ?? 0) / Math.max(theirs?.requestsPerSecond ?? 0, 1));
    }
    return { subject, against, ratios, median: median(ratios) };
  } finally {
    for (const server of servers) await server.stop({ deadlineMs: 3000 });
  }
}
