"""A homework capitalizer with a thread per client whose quota is counted per connection, not server-wide.

Usage: python3 capitalizer_quota_per_connection.py PROTOCOL_JSON (HOST and PORT from the environment).
"""
import json
import os
import socket
import sys
import threading

texts = json.load(open(sys.argv[1]))["wireTexts"]


def serve(conn):
    count = 0
    try:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            try:
                sentence = data.decode()
            except UnicodeDecodeError:
                break
            if sentence == texts["shutdownRequest"]:
                break
            if count >= 10:
                conn.sendall(texts["limitNotice"].encode())
                break
            count += 1
            conn.sendall((sentence.upper() + texts["replySuffix"]).encode())
    except OSError:
        pass
    conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])))
server.listen(128)
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
