/**
 * A child process as Python's multiprocessing.Process: fork it, talk to it over IPC both ways, read its exit code,
 * wait for it with a timeout (join(timeout)), and make sure it never outlives its parent. It mirrors tutorial 000 §2.2
 * and §3.2 (multiprocessing.Process, start, join). A process has its own memory and its own event loop; a crash in it
 * cannot take the parent down.
 *
 * Run:    node examples/02-threads/src/process-basics.ts
 * Try:    node examples/02-threads/src/process-basics.ts --join-timeout 500
 * Expect: "child → parent: {"result":49}", "child exited with code 3", then the parent leaving a
 *         busy child behind and that child's "parent gone, exiting"
 * Stop:   it exits by itself (exit 0)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import * as cli from './cli.ts';

const { joinTimeout } = cli.parseFlags(
  {
    name: 'process-basics',
    about:
      'Forks child processes: one answers a question and exits with code 3; one is busy when the parent stops waiting for it, and exits by itself when the parent has gone.',
  },
  { joinTimeout: cli.duration(1000, 'how long the parent waits for the busy child', 0) },
);

// fork() starts a new Node process running the given file, with an IPC channel to it.
// It inherits this process's flags (execArgv), so the child runs TypeScript the same way.
function start(): ChildProcess {
  const child = fork(new URL('./process-basics-child.ts', import.meta.url));
  child.on('error', (error) => console.log(`parent: child error: ${error.message}`));
  console.log(`parent: forked a child (pid ${child.pid})`);
  return child;
}

// Resolves with the exit code once the child has exited (join()), or undefined after timeoutMs.
function join(child: ChildProcess, timeoutMs = Number.POSITIVE_INFINITY): Promise<number | null | undefined> {
  return new Promise((resolve) => {
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => resolve(undefined), timeoutMs) : undefined;
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

// 1. A question and its answer: messages are copied across (structured clone), not shared.
const child = start();
child.send({ square: 7 });
const [answer] = await once(child, 'message');
console.log(`child → parent: ${JSON.stringify(answer)}`);
child.send({ exitWith: 3 });
console.log(`parent: child exited with code ${await join(child)}`);

// 2. A busy child, and a parent that waits for it only so long. When the parent exits, the IPC
// channel closes and the child exits on 'disconnect' (see process-basics-child.ts): no orphan.
const busy = start();
busy.send({ workForMs: 30_000 });
const [status] = await once(busy, 'message');
console.log(`child → parent: ${JSON.stringify(status)}`);
if ((await join(busy, joinTimeout)) === undefined) {
  console.log(`parent: join timed out after ${joinTimeout} ms; exiting without the child`);
  process.exit(0);
}
