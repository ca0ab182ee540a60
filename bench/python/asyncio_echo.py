# The asyncio version the tutorials point to (000 §2.3, 001 Q5): start_server, read, write, drain.
import asyncio
import sys

async def handle(reader, writer):
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()

async def main():
    port = int(sys.argv[sys.argv.index('--port') + 1]) if '--port' in sys.argv else 8080
    server = await asyncio.start_server(handle, '127.0.0.1', port, backlog=512)
    print(f'listening on tcp://127.0.0.1:{server.sockets[0].getsockname()[1]}', flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
