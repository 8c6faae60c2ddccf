# The textbook's TCP client (Kurose and Ross, Computer Networking, section 2.7), as printed there but for
# the server's address, which it reads from HOST and PORT so that the kit can start it against its own.
import os
from socket import *

serverName = os.environ.get("HOST", "127.0.0.1")
serverPort = int(os.environ.get("PORT", "12000"))
clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.connect((serverName, serverPort))
sentence = input("Input lowercase sentence:")
clientSocket.send(sentence.encode())
modifiedSentence = clientSocket.recv(1024)
print("From Server: ", modifiedSentence.decode())
clientSocket.close()
