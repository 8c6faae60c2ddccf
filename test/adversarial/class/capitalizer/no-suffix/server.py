# TCP server for HW2: capitalizes what the client sends (threaded).
import os
import socket
import threading

lock = threading.Lock()
total = 0


def handle(conn):
    global total
    with conn:
        while True:
            try:
                msg = conn.recv(1024)
            except OSError:
                return
            if not msg:
                return
            try:
                msg = msg.decode()
            except UnicodeDecodeError:
                return
            if msg == "CLIENT REQUESTS SHUTDOWN":
                return
            with lock:
                if total >= 10:
                    conn.sendall(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
                    return
                total += 1
            conn.sendall(msg.upper().encode())


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])))
    srv.listen(8)
    print("SERVER READY")
    while True:
        conn, addr = srv.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


main()
