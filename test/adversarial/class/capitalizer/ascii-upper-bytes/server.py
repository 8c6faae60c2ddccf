"""
tcpserver.py
Multithreaded TCP server: sends back the client's sentence in capitals.
Works on the raw bytes (no decode needed).
"""
import os
import socket
import threading

LIMIT = 10


class Counter:
    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.value >= LIMIT:
                return False
            self.value += 1
            return True


counter = Counter()


def serve(conn, addr):
    try:
        while True:
            data = conn.recv(1024)
            if not data or data == b"CLIENT REQUESTS SHUTDOWN":
                break
            if not counter.take():
                conn.sendall(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
                break
            conn.sendall(data.upper() + b"\nAwaiting next string...")
    except OSError:
        pass
    finally:
        conn.close()


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434"))))
    sock.listen(20)
    print("SERVER READY @", sock.getsockname())
    while True:
        conn, addr = sock.accept()
        threading.Thread(target=serve, args=(conn, addr), daemon=True).start()


if __name__ == "__main__":
    main()
