"""
udpserver.py - HW2 bank server.
Writes the account to user.txt after every change.
"""
import os
import socket

USERNAME = "charles"
PIN = "02323"

balance = 0
pending = {}  # addr -> ("d" or "w", amount)


def write_to_file():
    with open("user.txt", "w") as f:
        f.write(str(balance) + "\n" + USERNAME + "\n" + PIN + "\n")


def good_credentials(message):
    words = message.split()
    return len(words) >= 2 and words[0][1:] == USERNAME and words[1][1:] == PIN


def process(message, addr):
    global balance
    if addr in pending:
        command, amount = pending.pop(addr)
        if command == "d":
            if not good_credentials(message):
                return "Invalid credentails. Please try the deposit command again."
            balance += int(amount)
            write_to_file()
            return "Deposited " + amount + " dollar(s). Balance is now " + str(balance) + " dollar(s)."
        if not good_credentials(message):
            return "Invalid credentials. Please try the withdraw command again."
        balance -= int(amount)
        write_to_file()
        return "Withdrew " + amount + " dollar(s). Balance is now " + str(balance) + " dollar(s)."
    if message[:1] == "b":
        return str(balance) + " dollar(s) are in your balance."
    if message[:1] in ("d", "w") and message[1:].isdigit() and message[1:].isascii():
        pending[addr] = (message[0], message[1:])
        return "\n\tPlease give the username and pin number.\n"
    return "Improper format, please send command again."


def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "65434"))
    write_to_file()  # start the account file fresh
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((host, port))
    print("SERVER READY @", sock.getsockname())
    while True:
        data, addr = sock.recvfrom(2048)
        try:
            message = data.decode()
        except UnicodeDecodeError:
            message = ""
        sock.sendto(process(message, addr).encode(), addr)


main()
