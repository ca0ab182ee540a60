/** app (Fastify): the checks both HTTP servers share, and a drain that loses nothing. */
import { Agent } from 'node:http';
import { httpGet } from '@netprog/shared/http';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { checkHttpServer } from '../../support/http-server-checks.ts';

checkHttpServer('app');

it('app drains: 10 keep-alive requests in flight at SIGTERM all get 200, new ones are refused, exit 0 fast', async () => {
  const server = await startServer(programFile('04-framework', 'app'));
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  // Warm 10 keep-alive connections, then put a 1 s request on each.
  await Promise.all(Array.from({ length: 10 }, () => httpGet(server.port, '/sleep?ms=0', { agent })));
  const inFlight = Array.from({ length: 10 }, () =>
    httpGet(server.port, '/sleep?ms=1000', { agent, timeoutMs: 20_000 }),
  );
  await server.waitFor('10 sleeping requests', () =>
    (server.stdout.match(/^sleeping 1000 ms/gm)?.length ?? 0) === 10 ? true : undefined,
  );
  const stopping = server.stop({ deadlineMs: 10_000 });
  await server.waitForLine(/^SIGTERM: no longer accepting; draining 10 request\(s\)$/);
  await expect(connect(server.port, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  const replies = await Promise.all(inFlight);
  expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(200));
  expect(replies.every((reply) => reply.headers.connection === 'close')).toBe(true);
  const result = await stopping;
  expect(result).toMatchObject({ exitCode: 0, killed: false });
  expect(result.elapsedMs).toBeLessThan(4000); // not the 5 s keep-alive timeout, nor Fastify's 72 s
  agent.destroy();
});
