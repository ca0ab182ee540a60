# http.server from the standard library answering "Hello, world!" (the tutorials' 002 §3.2 peer).
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Hello(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        body = b'Hello, world!'
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

port = int(sys.argv[sys.argv.index('--port') + 1]) if '--port' in sys.argv else 8000
server = ThreadingHTTPServer(('127.0.0.1', port), Hello)
print(f'listening on http://127.0.0.1:{server.server_address[1]}', flush=True)
server.serve_forever()
