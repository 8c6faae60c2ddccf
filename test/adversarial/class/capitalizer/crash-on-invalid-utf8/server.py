# Capitalizer server with selectors: one thread, every socket non-blocking.
import os
import selectors
import socket

sel = selectors.DefaultSelector()
count = 0


def accept(server):
    conn, addr = server.accept()
    print("Connected by:", addr)
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ, read)


def close(conn):
    sel.unregister(conn)
    conn.close()


def read(conn):
    global count
    try:
        data = conn.recv(1024)
    except ConnectionError:
        data = b""
    if not data:
        close(conn)
        return
    sentence = data.decode("utf-8")
    if sentence == "CLIENT REQUESTS SHUTDOWN":
        close(conn)
        return
    if count >= 10:
        conn.sendall(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
        close(conn)
        return
    count += 1
    conn.sendall((sentence.upper() + "\nAwaiting next string...").encode("utf-8"))


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434"))))
server.listen(100)
server.setblocking(False)
sel.register(server, selectors.EVENT_READ, accept)
print("SERVER READY @", server.getsockname())

while True:
    for key, _ in sel.select():
        key.data(key.fileobj)
