"""
udpserver.py
A udp server made in python, based on the class structure of socketserver.
Keeps name, pin and balance in user.txt (kept across restarts).
"""
import os
import socket


class UDPServer:
    client_details = []  # list of client addresses, in the order they came

    def __init__(self, host, port):
        self.balance, self.username, self.pin = 0, "charles", "02323"
        if os.path.exists("user.txt"):
            with open("user.txt") as f:
                lines = f.read().split("\n")
            self.balance, self.username, self.pin = int(lines[0]), lines[1], lines[2]
        self.write_to_file()
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((host, port))

    def add_client_details(self, addr):
        if addr not in self.client_details:
            self.client_details.append(addr)
            print("Connected by:", addr)

    def write_to_file(self):
        with open("user.txt", "w") as f:
            f.write(str(self.balance) + "\n" + self.username + "\n" + self.pin + "\n")

    def auth_challenge(self):
        """Asks the client for username and pin; True if they are right."""
        message = "\n\tPlease give the username and pin number.\n"
        self.socket.sendto(message.encode(), self.client_details[0])
        data, addr = self.socket.recvfrom(2048)
        words = data.decode(errors="replace").split()
        if len(words) < 2:
            return False
        return words[0][1:] == self.username and words[1][1:] == self.pin

    def process_command(self, message):
        if message[:1] == "b":
            return str(self.balance) + " dollar(s) are in your balance."
        amount = message[1:]
        if message[:1] not in ("d", "w") or not (amount.isascii() and amount.isdigit()):
            return "Improper format, please send command again."
        if message[0] == "w":
            if not self.auth_challenge():
                return "Invalid credentials. Please try the withdraw command again."
            self.balance -= int(amount)
            self.write_to_file()
            return "Withdrew " + amount + " dollar(s). Balance is now " + str(self.balance) + " dollar(s)."
        if not self.auth_challenge():
            return "Invalid credentails. Please try the deposit command again."
        self.balance += int(amount)
        self.write_to_file()
        return "Deposited " + amount + " dollar(s). Balance is now " + str(self.balance) + " dollar(s)."

    def serve(self):
        print("SERVER READY @", self.socket.getsockname())
        while True:
            data, addr = self.socket.recvfrom(2048)
            self.add_client_details(addr)
            reply = self.process_command(data.decode(errors="replace"))
            self.socket.sendto(reply.encode(), addr)


UDPServer(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434"))).serve()
