/**
 * 02-threads on stage: a worker thread that returns and one that throws, child processes over
 * IPC, the race and its two cures, producers and consumers, the offload server and the cluster.
 * Counts and timings that vary from run to run are shown as placeholders.
 */
import type { Scenario } from '../scene.ts';

export const threadsScenario: Scenario = {
  area: '02-threads',
  title: 'Threads and processes',
  async play(scene) {
    scene.replace(/pid \d+/g, 'pid <pid>');
    scene.replace(/child \d+:/g, 'child <pid>:');
    scene.replace(/^unsynchronized: \d+ of/g, 'unsynchronized: <fewer> of');
    scene.replace(/waited \d+ times, consumers \d+ times/g, 'waited <n> times, consumers <n> times');
    scene.replace(/"tookMs":\d+,/g, '"tookMs":<ms>,');
    scene.replace(/"rounds":\d+,"digest":"[0-9a-f]+"/g, '"rounds":<n>,"digest":"<hex>"');
    scene.replace(/"pid":\d+/g, '"pid":<pid>');
    scene.replace(/"served":\d+/g, '"served":<n>');
    scene.replace(/worker \d+ /g, 'worker <pid> ');

    await scene.run('thread-basics');
    await scene.run('process-basics');
    await scene.run('race', { args: ['--increments', '200000'] });
    await scene.run('condition', { args: ['--items', '20000'] });

    const offload = await scene.start('offload-server', 8090, {
      args: ['--threads', '2'],
    });
    await scene.curl(offload, '/ping');
    await scene.curl(offload, '/cpu?ms=200');
    await scene.waitFor(offload, /^cpu job of 200 ms accepted/);
    await scene.stop(offload);

    const cluster = await scene.start('cluster-server', 8091, {
      args: ['--workers', '2'],
    });
    const pids = new Set<number>();
    for (let request = 0; request < 4; request++) {
      pids.add(JSON.parse((await scene.curl(cluster, '/')).body).pid);
    }
    scene.note(`${pids.size} different worker processes answered the 4 requests`);
    await scene.stop(cluster);
  },
};
