/**
 * A fixed pool of worker threads with a bounded queue, for offload-server.ts. run() hands a job
 * to an idle thread or queues it; a full queue is refused at once (the caller answers 503) rather
 * than growing without end. A thread that dies fails only its own job and is replaced.
 * (piscina is a well-kept library that does this and more; this file shows what it does.)
 */
import { Worker } from 'node:worker_threads';

export class QueueFullError extends Error {}
export class WorkerCrashedError extends Error {}

interface Job {
  task: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private closing = false;
  private drained?: () => void;
  private readonly file: URL;
  readonly size: number;
  readonly maxQueue: number;

  constructor(file: URL, size: number, maxQueue: number) {
    this.file = file;
    this.size = size;
    this.maxQueue = maxQueue;
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  get queued(): number {
    return this.queue.length;
  }

  run(task: unknown): Promise<unknown> {
    if (this.closing) return Promise.reject(new Error('the pool is closing'));
    if (this.idle.length === 0 && this.queue.length >= this.maxQueue) {
      return Promise.reject(new QueueFullError(`all ${this.size} threads busy and ${this.maxQueue} jobs queued`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.next();
    });
  }

  /** Stops the threads once every queued and running job is done. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.running.size > 0 || this.queue.length > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate()));
  }

  private next(): void {
    const worker = this.idle.pop();
    if (!worker) return;
    const job = this.queue.shift();
    if (!job) {
      this.idle.push(worker);
      return;
    }
    this.running.set(worker, job);
    worker.postMessage(job.task);
  }

  private checkDrained(): void {
    if (this.closing && this.running.size === 0 && this.queue.length === 0) this.drained?.();
  }

  private spawn(): Worker {
    // The job file is plain JavaScript: the thread needs none of the process's flags (execArgv),
    // such as tsx's loader, which would make every new thread slower to start.
    const worker = new Worker(this.file, { execArgv: [] });
    worker.on('message', (result) => {
      this.running.get(worker)?.resolve(result);
      this.running.delete(worker);
      this.idle.push(worker);
      this.next();
      this.checkDrained();
    });
    // A thread that throws or exits fails its own job only; a new thread takes its place.
    // ('error' is followed by 'exit': the first of the two does the work.)
    let gone = false;
    const replace = (reason: string) => {
      if (gone) return;
      gone = true;
      const idleIndex = this.idle.indexOf(worker);
      if (idleIndex !== -1) this.idle.splice(idleIndex, 1);
      this.running.get(worker)?.reject(new WorkerCrashedError(`worker thread ${reason}`));
      this.running.delete(worker);
      if (!this.closing) {
        this.idle.push(this.spawn());
        this.next();
      }
      this.checkDrained();
    };
    worker.on('error', (error) => replace(`threw: ${error.message}`));
    worker.on('exit', (code) => replace(`exited with code ${code}`));
    return worker;
  }
}
