# The textbook's TCPServer.py (Kurose and Ross, Computer Networking, section 2.7.2), unchanged but for
# the address, which sockspec check --spawn gives in HOST and PORT: a server in another language that the
# checks must pass.
import os
from socket import *

serverPort = int(os.environ.get("PORT", "12000"))
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind((os.environ.get("HOST", ""), serverPort))
serverSocket.listen(1)
print("The server is ready to receive", flush=True)
while True:
    connectionSocket, addr = serverSocket.accept()
    sentence = connectionSocket.recv(1024).decode()
    capitalizedSentence = sentence.upper()
    connectionSocket.send(capitalizedSentence.encode())
    connectionSocket.close()
