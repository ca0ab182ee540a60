/**
 * The file-transfer protocol shared by file-server.ts and file-client.ts: a one-line header
 * that frames the bytes which follow it. TCP delivers a stream without boundaries, so the
 * receiver can only know where the file ends because the header says how long it is.
 *
 *   client → server   SEND <size> <sha256 hex> <name>\n   then exactly <size> bytes
 *   server → client   OK <size> <sha256 hex>\n            or   ERROR <reason>\n
 *
 * The name comes last so it may contain spaces; a line may also end with \r\n.
 */

import type { Socket } from 'node:net';

export const maxHeaderBytes = 1024;
export const maxNameBytes = 255;

export interface FileHeader {
  size: number;
  sha256: string;
  name: string;
}

export function formatHeader(header: FileHeader): string {
  return `SEND ${header.size} ${header.sha256} ${header.name}\n`;
}

/**
 * Why a file name from the network must be refused, or undefined when it is safe to use as
 * one entry in the server's directory. A name that could climb out of that directory
 * (a separator, "..") or confuse the file system (NUL, control characters) is never trusted.
 */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty file name';
  if (Buffer.byteLength(name) > maxNameBytes) return `file name longer than ${maxNameBytes} bytes`;
  if (name.includes('/') || name.includes('\\')) return 'file name contains a path separator';
  if (name.includes('..')) return 'file name contains ".."';
  if (name.startsWith('.')) return 'file name starts with "."';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'file name contains a control character';
  // U+2028 and U+2029 end a line for JavaScript's `.` (so the header would not parse) and for some
  // editors and terminals: as unwelcome in a name as a newline.
  if (/[\u2028\u2029]/.test(name)) return 'file name contains a line separator';
  return undefined;
}

/** Parses a header line (without its \n), or throws an Error whose message is the reason. */
export function parseHeader(line: string, maxBytes: number): FileHeader {
  const match = /^SEND (\d{1,16}) ([0-9a-f]{64}) (.*?)\r?$/.exec(line);
  if (!match) throw new Error('malformed header, expected "SEND <size> <sha256> <name>"');
  const [, sizeText = '', sha256 = '', name = ''] = match;
  const size = Number(sizeText);
  if (size > maxBytes) throw new Error(`file of ${size} bytes is over the limit of ${maxBytes} bytes`);
  const problem = nameProblem(name);
  if (problem) throw new Error(problem);
  return { size, sha256, name };
}

/**
 * The server's answer: one line, collected as it arrives and bounded, since a peer that is not
 * file-server could send anything. Rejects on a reset, a timeout, or a close before the line.
 */
export function readAnswer(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const newline = received.indexOf('\n');
      if (newline !== -1) resolve(received.slice(0, newline).replace(/\r$/, ''));
      else if (received.length > maxHeaderBytes) reject(new Error('answer line too long'));
    });
    socket.on('end', () => reject(new Error('closed the connection without an answer')));
    socket.on('error', reject);
  });
}
