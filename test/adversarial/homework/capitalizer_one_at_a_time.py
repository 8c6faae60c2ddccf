"""A homework capitalizer without threads: it serves one client at a time, in the order they connect,
counting the quota for the whole server as it should.

Usage: python3 capitalizer_one_at_a_time.py PROTOCOL_JSON (HOST and PORT from the environment).
"""
import json
import os
import socket
import sys

texts = json.load(open(sys.argv[1]))["wireTexts"]
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])))
server.listen(64)
count = 0
while True:
    conn, _ = server.accept()
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
