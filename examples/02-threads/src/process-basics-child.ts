/**
 * process-basics.ts's child process. It answers its parent's messages over the IPC channel and
 * exits by itself when that channel closes, that is when the parent is gone, however it died:
 * a child that outlives its parent (an orphan) is how servers leak processes.
 */

type Request = { square: number } | { exitWith: number } | { workForMs: number };

process.on('disconnect', () => {
  console.log(`child ${process.pid}: parent gone, exiting`);
  process.exit(0);
});

process.on('message', (request: Request) => {
  if ('square' in request) process.send?.({ result: request.square * request.square });
  else if ('exitWith' in request) process.exit(request.exitWith);
  else {
    process.send?.({ working: request.workForMs });
    setTimeout(() => process.exit(0), request.workForMs);
  }
});
