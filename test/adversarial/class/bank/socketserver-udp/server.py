# Bank server (HW2) built on socketserver.UDPServer.
import os
import re
import socketserver

ACCOUNT_FILE = "user.txt"
AMOUNT = re.compile(r"[0-9]+")
waiting = {}  # client address -> the request waiting for its credentials


def load():
    try:
        with open(ACCOUNT_FILE) as f:
            balance, user, pin = f.read().splitlines()[:3]
        return {"balance": int(balance), "user": user, "pin": pin}
    except FileNotFoundError:
        account = {"balance": 0, "user": "charles", "pin": "02323"}
        save(account)
        return account


def save(account):
    with open(ACCOUNT_FILE, "w") as f:
        f.write("%d\n%s\n%s\n" % (account["balance"], account["user"], account["pin"]))


account = load()


def credentials_ok(text):
    parts = text.split()
    return len(parts) >= 2 and parts[0][1:] == account["user"] and parts[1][1:] == account["pin"]


def reply_to(client, text):
    if client in waiting:
        op, amount = waiting.pop(client)
        good = credentials_ok(text)
        if op == "d":
            if not good:
                return "Invalid credentails. Please try the deposit command again."
            account["balance"] += int(amount)
            save(account)
            return "Deposited %s dollar(s). Balance is now %d dollar(s)." % (amount, account["balance"])
        if not good:
            return "Invalid credentials. Please try the withdraw command again."
        account["balance"] -= int(amount)
        save(account)
        return "Withdrew %s dollar(s). Balance is now %d dollar(s)." % (amount, account["balance"])
    if text.startswith("b"):
        return "%d dollar(s) are in your balance." % account["balance"]
    if text[:1] in ("d", "w") and AMOUNT.fullmatch(text[1:]):
        waiting[client] = (text[0], text[1:])
        return "\n\tPlease give the username and pin number.\n"
    return "Improper format, please send command again."


class BankHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = "" if self.client_address in waiting else "?"
        sock.sendto(reply_to(self.client_address, text).encode("utf-8"), self.client_address)


if __name__ == "__main__":
    address = (os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434")))
    server = socketserver.UDPServer(address, BankHandler)
    server.max_packet_size = 4096
    print("bank listening on", address)
    server.serve_forever()
