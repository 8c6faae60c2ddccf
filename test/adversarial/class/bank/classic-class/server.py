"""
udpserver.py - HW2 part 2, the bank over UDP.
Keeps balance, username and pin in user.txt; deposits and withdrawals are
challenged for the username and pin, and the challenge goes back to whoever asked.
"""
import os
import socket

CHALLENGE = "\n\tPlease give the username and pin number.\n"
IMPROPER = "Improper format, please send command again."
FILE = "user.txt"


class UDPServer:
    def __init__(self, host, port):
        self.balance = 0
        self.username = "charles"
        self.pin = "02323"
        self.pending = {}  # address -> (command letter, amount text)
        if os.path.exists(FILE):
            self.read_file()
        else:
            self.write_file()
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((host, port))

    def read_file(self):
        with open(FILE) as f:
            lines = f.read().split("\n")
        self.balance = int(lines[0])
        self.username = lines[1]
        self.pin = lines[2]

    def write_file(self):
        with open(FILE, "w") as f:
            f.write(str(self.balance) + "\n" + self.username + "\n" + self.pin + "\n")

    def check_auth(self, message):
        words = message.split()
        if len(words) < 2:
            return False
        return words[0][1:] == self.username and words[1][1:] == self.pin

    def answer_challenge(self, addr, message):
        command, amount = self.pending.pop(addr)
        if command == "d":
            if not self.check_auth(message):
                return "Invalid credentails. Please try the deposit command again."
            self.balance += int(amount)
            self.write_file()
            return "Deposited " + amount + " dollar(s). Balance is now " + str(self.balance) + " dollar(s)."
        if not self.check_auth(message):
            return "Invalid credentials. Please try the withdraw command again."
        self.balance -= int(amount)
        self.write_file()
        return "Withdrew " + amount + " dollar(s). Balance is now " + str(self.balance) + " dollar(s)."

    def process_command(self, addr, message):
        if addr in self.pending:
            return self.answer_challenge(addr, message)
        if message.startswith("b"):
            return str(self.balance) + " dollar(s) are in your balance."
        if message[:1] in ("d", "w"):
            amount = message[1:]
            if amount.isascii() and amount.isdigit():
                self.pending[addr] = (message[0], amount)
                return CHALLENGE
        return IMPROPER

    def serve(self):
        print("SERVER READY @", self.socket.getsockname())
        while True:
            data, addr = self.socket.recvfrom(4096)
            try:
                message = data.decode()
            except UnicodeDecodeError:
                message = None
            if message is None:
                reply = self.answer_challenge(addr, "") if addr in self.pending else IMPROPER
            else:
                reply = self.process_command(addr, message)
            self.socket.sendto(reply.encode(), addr)


if __name__ == "__main__":
    UDPServer(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434"))).serve()
