# tcpserver.py -- HW2, capitalizer with threads.
# Each client may send up to 10 strings.
import os
import socket
import threading

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "65434"))


def client_thread(conn, addr):
    strings = 0  # how many strings this client sent
    while True:
        try:
            data = conn.recv(1024)
        except OSError:
            break
        if not data:
            break
        try:
            sentence = data.decode()
        except UnicodeDecodeError:
            break
        if sentence == "CLIENT REQUESTS SHUTDOWN":
            print(addr, "asked to shut down")
            break
        if strings == 10:
            conn.sendall(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
            break
        strings += 1
        print(addr, "string", strings, ":", sentence)
        conn.sendall((sentence.upper() + "\nAwaiting next string...").encode())
    conn.close()


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((HOST, PORT))
s.listen(10)
print("SERVER READY @", (HOST, PORT))
while True:
    c, a = s.accept()
    print("Connected by:", a)
    threading.Thread(target=client_thread, args=(c, a), daemon=True).start()
