# HW2 bank server (UDP). Amounts are read as floats so cents would work too;
# balances are shown without decimals, as in the assignment.
import os
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434"))))

try:
    with open("user.txt") as f:
        bal, user, pin = f.read().split("\n")[:3]
    balance = float(bal)
except FileNotFoundError:
    balance, user, pin = 0.0, "charles", "02323"
    with open("user.txt", "w") as f:
        f.write("0\ncharles\n02323\n")


def dollars(x):
    return "%.0f" % x


def save():
    with open("user.txt", "w") as f:
        f.write(dollars(balance) + "\n" + user + "\n" + pin + "\n")


waiting = {}
print("SERVER READY @", sock.getsockname())
while True:
    data, addr = sock.recvfrom(2048)
    try:
        msg = data.decode()
    except UnicodeDecodeError:
        msg = ""
    if addr in waiting:
        op, amount = waiting.pop(addr)
        creds = msg.split()
        ok = len(creds) >= 2 and creds[0][1:] == user and creds[1][1:] == pin
        if op == "d" and ok:
            balance += float(amount)
            save()
            reply = "Deposited " + amount + " dollar(s). Balance is now " + dollars(balance) + " dollar(s)."
        elif op == "d":
            reply = "Invalid credentails. Please try the deposit command again."
        elif ok:
            balance -= float(amount)
            save()
            reply = "Withdrew " + amount + " dollar(s). Balance is now " + dollars(balance) + " dollar(s)."
        else:
            reply = "Invalid credentials. Please try the withdraw command again."
    elif msg.startswith("b"):
        reply = dollars(balance) + " dollar(s) are in your balance."
    elif msg[:1] in ("d", "w") and msg[1:].isascii() and msg[1:].isdigit():
        waiting[addr] = (msg[0], msg[1:])
        reply = "\n\tPlease give the username and pin number.\n"
    else:
        reply = "Improper format, please send command again."
    sock.sendto(reply.encode(), addr)
