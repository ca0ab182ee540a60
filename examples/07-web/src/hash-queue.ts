/**
 * A bound on the password hashing. crypto.scrypt already runs off the event loop, on libuv's thread pool, so pages
 * keep being served while it works (02-threads' offload-server makes the same point with worker threads). But the
 * pool takes any number of jobs and each scrypt holds 128 MiB while it runs: a burst of logins would fill memory
 * and take every core from the event loop. So at most `running` hashes run at once, at most `waiting` more wait
 * their turn, and anything past that is refused at once (the board answers 503 with Retry-After).
 */
export class QueueFull extends Error {}

export function hashQueue(running: number, waiting: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async function run<T>(job: () => Promise<T>): Promise<T> {
    if (active < running) active += 1;
    else if (queue.length < waiting) await new Promise<void>((resolve) => queue.push(resolve));
    else throw new QueueFull(`${running} hashes running and ${waiting} waiting`);
    try {
      return await job();
    } finally {
      // The slot passes straight to the next in line, so no newcomer can slip in between.
      const next = queue.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
