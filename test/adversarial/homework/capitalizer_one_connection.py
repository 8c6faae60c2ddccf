"""A first homework capitalizer: it serves one client, in order, then exits.

Usage: python3 capitalizer_one_connection.py PROTOCOL_JSON (HOST and PORT from the environment).
The wire texts come from the protocol's spec, as a student would copy them from it.
"""
import json
import os
import socket
import sys

texts = json.load(open(sys.argv[1]))["wireTexts"]
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])))
server.listen(16)
conn, _ = server.accept()
count = 0
while True:
    data = conn.recv(1024)
    if not data:
        break
    sentence = data.decode()
    if sentence == texts["shutdownRequest"]:
        break
    if count >= 10:
        conn.sendall(texts["limitNotice"].encode())
        break
    count += 1
    conn.sendall((sentence.upper() + texts["replySuffix"]).encode())
conn.close()
