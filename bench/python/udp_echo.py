# The tutorials' UDP server (001 §1.4 Q3): recvfrom, sendto, in a loop.
import socket
import sys

port = int(sys.argv[sys.argv.index('--port') + 1]) if '--port' in sys.argv else 9090
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', port))
print(f'listening on udp://127.0.0.1:{s.getsockname()[1]}', flush=True)
while True:
    data, address = s.recvfrom(65535)
    s.sendto(data, address)
