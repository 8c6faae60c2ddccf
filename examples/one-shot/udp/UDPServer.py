# The textbook's UDPServer.py (Kurose and Ross, Computer Networking, section 2.7.1), unchanged but for
# the address, which sockspec check --spawn gives in HOST and PORT: a server in another language that the
# checks must pass.
import os
from socket import *

serverPort = int(os.environ.get("PORT", "12000"))
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind((os.environ.get("HOST", ""), serverPort))
print("The server is ready to receive", flush=True)
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    modifiedMessage = message.decode().upper()
    serverSocket.sendto(modifiedMessage.encode(), clientAddress)
