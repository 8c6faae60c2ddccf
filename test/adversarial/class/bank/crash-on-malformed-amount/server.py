"""
udpserver.py
Bank server for HW2 over UDP. Commands: b, d<amount>, w<amount>.
The account (balance, username, pin) is kept in user.txt.
"""
import os
import socket

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "65434"))


class Bank:
    def __init__(self):
        if os.path.exists("user.txt"):
            with open("user.txt") as f:
                lines = f.read().splitlines()
            self.balance, self.username, self.pin = int(lines[0]), lines[1], lines[2]
        else:
            self.balance, self.username, self.pin = 0, "charles", "02323"
            self.save()
        self.challenged = {}

    def save(self):
        with open("user.txt", "w") as f:
            f.write("%d\n%s\n%s\n" % (self.balance, self.username, self.pin))

    def authenticate(self, text):
        words = text.split()
        return len(words) >= 2 and words[0][1:] == self.username and words[1][1:] == self.pin

    def handle(self, text, addr):
        if addr in self.challenged:
            command, amount = self.challenged.pop(addr)
            if not self.authenticate(text):
                if command == "d":
                    return "Invalid credentails. Please try the deposit command again."
                return "Invalid credentials. Please try the withdraw command again."
            if command == "d":
                self.balance += int(amount)
                self.save()
                return "Deposited %s dollar(s). Balance is now %d dollar(s)." % (amount, self.balance)
            self.balance -= int(amount)
            self.save()
            return "Withdrew %s dollar(s). Balance is now %d dollar(s)." % (amount, self.balance)
        if text == "":
            return "Improper format, please send command again."
        if text[0] == "b":
            return "%d dollar(s) are in your balance." % self.balance
        if text[0] == "d" or text[0] == "w":
            self.challenged[addr] = (text[0], text[1:])
            return "\n\tPlease give the username and pin number.\n"
        return "Improper format, please send command again."


def main():
    bank = Bank()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, PORT))
    print("SERVER READY @", sock.getsockname())
    while True:
        data, addr = sock.recvfrom(2048)
        reply = bank.handle(data.decode(errors="replace"), addr)
        sock.sendto(reply.encode(), addr)


main()
