"""A capitalizer that never answers: from the moment a client connects it sends one byte, X, a second.

Usage: python3 capitalizer_drip.py (HOST and PORT from the environment).
"""
import os
import socket
import threading
import time


def drip(conn):
    try:
        while True:
            conn.sendall(b"X")
            time.sleep(1)
    except OSError:
        conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])))
server.listen(64)
while True:
    conn, _ = server.accept()
    threading.Thread(target=drip, args=(conn,), daemon=True).start()
