import { defineConfig } from 'vitest/config';

// SUITE_REPORT names a JSON report file for CI's closing "N passed, M failed" line.
const report = process.env.SUITE_REPORT;
// With EXAMPLE_RUNTIME=bun or deno (CI's legs) the examples run on that runtime, while the suite stays on Node,
// and only the tier that proves them there runs: each area's contract and tour transcript (servers with their
// clients, then their stop), and the specs that pin what differs (shared/src/runtime-differences.ts).
// EXAMPLE_RUNTIME_SUITE=full runs every spec there instead, to look for differences not yet listed.
const otherRuntime = (process.env.EXAMPLE_RUNTIME ?? 'node') !== 'node' && process.env.EXAMPLE_RUNTIME_SUITE !== 'full';
const runtimeTier = ['specs/*/contract.spec.ts', 'specs/*/transcript.spec.ts', 'specs/runtimes/*.spec.ts'];

export default defineConfig({
  test: {
    include: otherRuntime ? runtimeTier : ['specs/**/*.spec.ts'],
    setupFiles: ['support/no-process-left.ts'],
    globalSetup: ['support/global-teardown.ts'],
    // Order must never matter, so the tests of each file always run shuffled (the seed is printed
    // on failure). Files keep vitest's own order, slowest first, which keeps the run short.
    sequence: { shuffle: { files: false, tests: true } },
    // Most of a spec's time is spent waiting on spawned programs and sockets, not computing, so
    // more files run at once than there are cores.
    maxWorkers: 4,
    // The spec files share nothing but the kit's modules, so each worker loads those once instead
    // of once per file (about a sixth of the suite's CPU time). Every test still starts and stops
    // its own programs, and no-process-left.ts still checks after each one.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 15_000,
    reporters: report ? ['default', 'json'] : ['default'],
    outputFile: report ? { json: report } : undefined,
  },
});
