# The tutorials' echo server (003 §8.2): one thread per client, recv(1024), send back. Only the
# port handling and the readiness line are added, so the benchmark can start and find it.
import socket
import sys
import threading

def client_thread(conn, addr):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    conn.close()

port = int(sys.argv[sys.argv.index('--port') + 1]) if '--port' in sys.argv else 8080
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(512)
print(f'listening on tcp://127.0.0.1:{s.getsockname()[1]}', flush=True)
while True:
    conn, addr = s.accept()
    threading.Thread(target=client_thread, args=(conn, addr), daemon=True).start()
