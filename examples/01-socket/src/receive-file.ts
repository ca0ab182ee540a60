/**
 * The receiving half of the file-transfer protocol (file-protocol.ts), used by file-server.ts:
 * read the header, refuse what is unsafe before writing anything, write the bytes to a temporary
 * file while hashing them, and move the file into place only once it is complete and verified.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type FileHeader, maxHeaderBytes, parseHeader } from './file-protocol.ts';

// Reads the header line, then exactly header.size bytes into a temporary file, hashing as it
// goes. Awaiting each chunk and each write is the backpressure: while the disk is slow, the
// socket is not read, TCP's window fills, and the client is made to wait.
export async function receiveFile(
  chunks: AsyncIterator<Buffer>,
  { directory, maxBytes }: { directory: string; maxBytes: number },
): Promise<FileHeader> {
  let buffered: Buffer = Buffer.alloc(0);
  let newline = buffered.indexOf('\n');
  while (newline === -1) {
    if (buffered.length > maxHeaderBytes) throw new Error(`header longer than ${maxHeaderBytes} bytes`);
    const next = await chunks.next();
    if (next.done) throw new Error('connection closed before the header was complete');
    buffered = Buffer.concat([buffered, next.value]);
    newline = buffered.indexOf('\n');
  }
  const header = parseHeader(buffered.subarray(0, newline).toString('utf8'), maxBytes);

  // The temporary name starts with "." so it can never clash with an accepted name.
  const temporary = path.join(directory, `.${randomUUID()}.part`);
  const file = await open(temporary, 'wx');
  try {
    const hash = createHash('sha256');
    let received = 0;
    let chunk: Buffer = buffered.subarray(newline + 1);
    for (;;) {
      if (received + chunk.length > header.size) throw new Error('more bytes than the header declared');
      hash.update(chunk);
      await file.write(chunk);
      received += chunk.length;
      if (received === header.size) break;
      const next = await chunks.next();
      if (next.done) throw new Error(`connection closed after ${received} of ${header.size} bytes`);
      chunk = next.value;
    }
    await file.sync();
    await file.close();
    const sha256 = hash.digest('hex');
    if (sha256 !== header.sha256) throw new Error(`sha256 mismatch: received ${sha256}`);
    // rename() within one directory is atomic: readers see the old file or the whole new one.
    await rename(temporary, path.join(directory, header.name));
    return header;
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}
