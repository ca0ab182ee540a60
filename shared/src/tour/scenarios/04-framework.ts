/**
 * 04-framework on stage: a chunked body from node:http byte for byte, one request and its
 * response from the Fastify app, the app through fetch (a resource, a 404, a failed validation), and app over
 * HTTP/2 with TLS, with certificates made in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../scene.ts';

export const frameworkScenario: Scenario = {
  area: '04-framework',
  title: 'HTTP and a web framework',
  async play(scene) {
    scene.replace(/([Dd]ate: )\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT/g, '$1<date>');
    scene.replace(/"createdAt":"[^"]+"/g, '"createdAt":"<time>"');
    scene.replace(/(sending|received) \d+ bytes/g, '$1 <n> bytes');

    const raw = await scene.start('raw-server', 8082);
    const rawUrl = `http://127.0.0.1:${raw.server.port}/chunked`;
    await scene.run('wire-client', { args: [rawUrl] });
    await scene.stop(raw);

    const app = await scene.start('app', 5000);
    const url = (path: string) => `http://127.0.0.1:${app.server.port}${path}`;
    await scene.run('wire-client', { args: [url('/')] });
    const note = '{"text":"buy milk"}';
    await scene.run('http-client', {
      args: ['--data', note, url('/notes')],
    });
    await scene.run('http-client', { args: [url('/notes/1')] });
    await scene.run('http-client', { args: [url('/notes/99')] });
    await scene.run('http-client', {
      args: ['--data', '{"text":""}', url('/notes')],
    });
    await scene.stop(app);

    const directory = mkdtempSync(path.join(tmpdir(), 'tour-04-'));
    await scene.run('make-certs', { cwd: directory });
    const tls = ['--key', 'certs/server.key', '--cert', 'certs/server.crt', '--http2'];
    const secure = await scene.start('app', 5000, { args: tls, cwd: directory });
    const secureUrl = `https://localhost:${secure.server.port}/`;
    const ca = ['--ca', 'certs/ca.crt'];
    await scene.run('http-client', { args: [...ca, '--http2', secureUrl], cwd: directory });
    await scene.run('http-client', { args: [secureUrl], cwd: directory });
    await scene.stop(secure);
    rmSync(directory, { recursive: true, force: true });
  },
};
