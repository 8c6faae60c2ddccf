"""
HW2 - TCP capitalizer server.
Handles clients one after the other (no threads).
"""
import os
import socket

host = os.environ.get("HOST", "127.0.0.1")
port = int(os.environ.get("PORT", "65434"))

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((host, port))
server.listen(5)
print("SERVER READY @", server.getsockname())

num_strings = 0
while True:
    conn, addr = server.accept()
    print("Connected by:", addr)
    with conn:
        while True:
            try:
                data = conn.recv(1024)
            except ConnectionError:
                break
            if not data:
                break
            try:
                sentence = data.decode()
            except UnicodeDecodeError:
                break
            if sentence == "CLIENT REQUESTS SHUTDOWN":
                print("CLIENT HAS REQUESTED SHUTDOWN")
                break
            if num_strings >= 10:
                conn.sendall("STRINGS LIMIT REACHED, CLOSING CONNECTION".encode())
                break
            num_strings += 1
            print("Sentence is:", sentence, "- number of strings", num_strings)
            conn.sendall((sentence.upper() + "\nAwaiting next string...").encode())
    print("Client done:", addr)
