/**
 * One thread of httpsLoad (board-load.ts): each of its connections runs GET after GET on its own keep-alive
 * connection until the deadline and times every answer; errors and non-200 answers are counted, never retried.
 * Plain JavaScript: worker threads load it directly, as load-worker.mjs.
 */
import https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ port: number, path: string, ca: string, headers?: Record<string, string>, connections: number, durationMs: number }} */
const { port, path, ca, headers = {}, connections, durationMs } = workerData;
const agent = new https.Agent({ keepAlive: true, maxSockets: connections, ca, servername: 'localhost' });
const deadline = performance.now() + durationMs;
const maxSamples = 50_000;
const samples = new Float64Array(maxSamples);
let completed = 0;
let errors = 0;

/** @returns {Promise<void>} */
function get() {
  return new Promise((resolve) => {
    const started = performance.now();
    const options = { host: '127.0.0.1', port, path, agent, headers: { host: `localhost:${port}`, ...headers } };
    const request = https.get(options, (response) => {
      response.resume();
      response.once('end', () => {
        if (response.statusCode !== 200) errors += 1;
        // A uniform sample of the latencies in bounded memory (reservoir sampling).
        else if (completed < maxSamples) samples[completed++] = performance.now() - started;
        else {
          const slot = Math.floor(Math.random() * ++completed);
          if (slot < maxSamples) samples[slot] = performance.now() - started;
        }
        resolve();
      });
    });
    request.once('error', () => {
      errors += 1;
      resolve();
    });
  });
}

// Each connection sends at least one request, however late it starts on a loaded machine.
async function connection() {
  do await get();
  while (performance.now() < deadline);
}
await Promise.all(Array.from({ length: connections }, connection));
agent.destroy();
parentPort?.postMessage({ completed, errors, samples: samples.subarray(0, Math.min(completed, maxSamples)) });
