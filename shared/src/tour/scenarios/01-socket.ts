/**
 * 01-socket on stage: the tutorials' greeting server, the echo server with its client (arguments,
 * stdin, a refused connection), a verified file transfer with a refused name, and the echo over
 * TLS: certificates made in a temporary folder, a verified echo, and a server refused by name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../scene.ts';

export const socketScenario: Scenario = {
  area: '01-socket',
  title: 'TCP sockets',
  async play(scene) {
    const hello = await scene.start('hello-server', 8000);
    // With no message to send, echo-client reads stdin: closed here, so it only listens.
    await scene.run('echo-client', { args: ['--port', String(hello.server.port)], input: '' });
    await scene.waitFor(hello, /^greeted /);
    await scene.stop(hello);

    const echo = await scene.start('echo-server', 8080);
    const port = ['--port', String(echo.server.port)];
    await scene.run('echo-client', { args: [...port, 'Hello, World!'] });
    await scene.waitFor(echo, /^closed /);
    await scene.run('echo-client', {
      args: port,
      input: 'one\ntwo\n',
    });
    await scene.waitFor(echo, /^closed /);
    await scene.stop(echo);
    await scene.run('echo-client', { args: [...port, 'anyone there?'] });

    const directory = mkdtempSync(path.join(tmpdir(), 'tour-01-'));
    scene.replace(`${directory}${path.sep}`, '');
    writeFileSync(path.join(directory, 'notes.txt'), 'TCP is a byte stream: frame your messages.\n');
    const files = await scene.start('file-server', 9000, {
      args: ['--dir', path.join(directory, 'received')],
    });
    const filePort = ['--port', String(files.server.port)];
    const notes = path.join(directory, 'notes.txt');
    await scene.run('file-client', { args: [...filePort, notes] });
    await scene.waitFor(files, /^saved /);
    await scene.run('file-client', {
      args: [...filePort, '--name', '../notes.txt', notes],
    });
    await scene.stop(files);

    // The certificates go where a learner's would (certs/), here in the temporary folder.
    await scene.run('make-certs', { cwd: directory });
    const tlsEcho = await scene.start('tls-echo-server', 8443, { cwd: directory });
    const tlsPort = ['--port', String(tlsEcho.server.port)];
    await scene.run('tls-echo-client', { args: [...tlsPort, 'Hello, TLS!'], cwd: directory });
    await scene.waitFor(tlsEcho, /^closed /);
    await scene.run('tls-echo-client', {
      args: [...tlsPort, '--servername', 'example.com', 'Hello?'],
      cwd: directory,
    });
    // The server's one line on the refused client names it or not, as the client may be gone already.
    scene.omit(/^refused (127\.0\.0\.1:\d+|a client already gone): /);
    await scene.stop(tlsEcho);
    rmSync(directory, { recursive: true, force: true });
  },
};
