# HW2 capitalizer. Threads; the shutdown message is accepted however it is typed
# (telnet sends \r\n, some people type it in lower case).
import os
import socket
import threading

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "65434"))

strings = 0
strings_lock = threading.Lock()


def is_shutdown(sentence):
    return sentence.strip().upper() == "CLIENT REQUESTS SHUTDOWN"


def worker(conn):
    global strings
    while True:
        try:
            raw = conn.recv(1024)
            sentence = raw.decode()
        except (OSError, UnicodeDecodeError):
            break
        if not raw or is_shutdown(sentence):
            break
        with strings_lock:
            allowed = strings < 10
            if allowed:
                strings += 1
        if not allowed:
            conn.sendall(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
            break
        conn.sendall((sentence.upper() + "\nAwaiting next string...").encode())
    conn.close()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((HOST, PORT))
listener.listen()
print("SERVER READY @", (HOST, PORT))
while True:
    c, _ = listener.accept()
    threading.Thread(target=worker, args=(c,), daemon=True).start()
