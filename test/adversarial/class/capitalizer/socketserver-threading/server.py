# CS-6220 HW2: capitalizer server with socketserver (ThreadingTCPServer).
import os
import socketserver
import threading

count = 0
count_lock = threading.Lock()


class CapitalizeHandler(socketserver.BaseRequestHandler):
    def handle(self):
        global count
        while True:
            try:
                data = self.request.recv(1024)
            except ConnectionError:
                return
            if not data:
                return
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return
            if text == "CLIENT REQUESTS SHUTDOWN":
                return
            with count_lock:
                over = count >= 10
                if not over:
                    count += 1
            if over:
                self.request.sendall(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
                return
            self.request.sendall((text.upper() + "\nAwaiting next string...").encode("utf-8"))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "65434"))
    with Server((host, port), CapitalizeHandler) as server:
        print("listening on", host, port)
        server.serve_forever()
