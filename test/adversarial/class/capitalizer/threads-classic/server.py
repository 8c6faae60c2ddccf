"""
tcpserver.py - HW2 part 1, multithreaded capitalizer.
A thread per client; the 10-string limit is shared by the whole server.
"""
import os
import socket
import threading

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "65434"))
MAX_STRINGS = 10
SUFFIX = "\nAwaiting next string..."
LIMIT_MSG = "STRINGS LIMIT REACHED, CLOSING CONNECTION"
SHUTDOWN_MSG = "CLIENT REQUESTS SHUTDOWN"


class TCPServer:
    def __init__(self, host, port):
        self.num_strings = 0
        self.lock = threading.Lock()
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))

    def take_string(self):
        """Counts one more string; False when the limit was already reached."""
        with self.lock:
            if self.num_strings >= MAX_STRINGS:
                return False
            self.num_strings += 1
            return True

    def process_client(self, conn, addr):
        try:
            while True:
                data = conn.recv(1024)
                if not data:
                    print("Client left:", addr)
                    break
                try:
                    sentence = data.decode()
                except UnicodeDecodeError:
                    print("Bad bytes from", addr)
                    break
                if sentence == SHUTDOWN_MSG:
                    print("CLIENT HAS REQUESTED SHUTDOWN")
                    break
                if not self.take_string():
                    print("STRINGS LIMIT REACHED")
                    conn.sendall(LIMIT_MSG.encode())
                    break
                print("Sentence is:", sentence)
                conn.sendall((sentence.upper() + SUFFIX).encode())
        except OSError as e:
            print("Connection error:", e)
        finally:
            conn.close()

    def start(self):
        self.socket.listen(16)
        print("SERVER READY @", self.socket.getsockname(), flush=True)
        try:
            while True:
                conn, addr = self.socket.accept()
                print("Connected by:", addr)
                threading.Thread(target=self.process_client, args=(conn, addr), daemon=True).start()
        except KeyboardInterrupt:
            print("\nExited by Ctrl+C.")
        finally:
            self.socket.close()


if __name__ == "__main__":
    TCPServer(HOST, PORT).start()
