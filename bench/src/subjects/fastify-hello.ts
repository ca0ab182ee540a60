/**
 * Fastify with nothing added, answering "Hello, world!": the row that separates what the framework
 * itself costs from what 04-framework/app adds (timeouts, error handling, draining).
 */
import Fastify from 'fastify';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);
const app = Fastify({ logger: false });
app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Hello, world!'));
process.on('SIGTERM', () => {
  app.close();
  app.server.closeAllConnections();
  process.exit(0);
});
await app.listen({ host: '127.0.0.1', port });
console.log(`listening on http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
