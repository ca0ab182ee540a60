/**
 * 01-socket on stage: the tutorials' greeting server, the echo server with its client (arguments,
 * stdin, a refused connection), and a verified file transfer with a refused name.
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
    await scene.run('echo-client', {
      show: '--port 8000',
      args: ['--port', String(hello.server.port)],
      showInput: { after: '< /dev/null' },
    });
    await scene.waitFor(hello, /^greeted /);
    await scene.stop(hello);

    const echo = await scene.start('echo-server', 8080);
    const port = ['--port', String(echo.server.port)];
    await scene.run('echo-client', { show: '"Hello, World!"', args: [...port, 'Hello, World!'] });
    await scene.waitFor(echo, /^closed /);
    await scene.run('echo-client', {
      args: port,
      input: 'one\ntwo\n',
      showInput: { before: "printf 'one\\ntwo\\n' |" },
    });
    await scene.waitFor(echo, /^closed /);
    await scene.stop(echo);
    await scene.run('echo-client', { show: '"anyone there?"', args: [...port, 'anyone there?'] });

    const directory = mkdtempSync(path.join(tmpdir(), 'tour-01-'));
    scene.replace(`${directory}${path.sep}`, '');
    writeFileSync(path.join(directory, 'notes.txt'), 'TCP is a byte stream: frame your messages.\n');
    const files = await scene.start('file-server', 9000, {
      show: '--dir received',
      args: ['--dir', path.join(directory, 'received')],
    });
    const filePort = ['--port', String(files.server.port)];
    const notes = path.join(directory, 'notes.txt');
    await scene.run('file-client', { show: 'notes.txt', args: [...filePort, notes] });
    await scene.waitFor(files, /^saved /);
    await scene.run('file-client', {
      show: '--name ../notes.txt notes.txt',
      args: [...filePort, '--name', '../notes.txt', notes],
    });
    await scene.stop(files);
    rmSync(directory, { recursive: true, force: true });
  },
};
