# udpserver.py -- HW2 bank. A withdrawal bigger than the balance is refused,
# like a real bank would.
import os
import socketserver

FILE = "user.txt"
INSUFFICIENT = "Insufficient funds. Balance is {} dollar(s)."


def read_account():
    if not os.path.exists(FILE):
        write_account(0, "charles", "02323")
    with open(FILE) as f:
        balance, name, pin = f.read().split("\n")[:3]
    return int(balance), name, pin


def write_account(balance, name, pin):
    with open(FILE, "w") as f:
        f.write(f"{balance}\n{name}\n{pin}\n")


class Handler(socketserver.DatagramRequestHandler):
    pending = {}

    def handle(self):
        text = self.rfile.read().decode(errors="replace")
        self.wfile.write(self.answer(text).encode())

    def answer(self, text):
        balance, name, pin = read_account()
        who = self.client_address
        if who in Handler.pending:
            op, amount = Handler.pending.pop(who)
            words = text.split()
            ok = len(words) >= 2 and words[0][1:] == name and words[1][1:] == pin
            if op == "d":
                if not ok:
                    return "Invalid credentails. Please try the deposit command again."
                balance += int(amount)
                write_account(balance, name, pin)
                return f"Deposited {amount} dollar(s). Balance is now {balance} dollar(s)."
            if not ok:
                return "Invalid credentials. Please try the withdraw command again."
            if int(amount) > balance:
                return INSUFFICIENT.format(balance)
            balance -= int(amount)
            write_account(balance, name, pin)
            return f"Withdrew {amount} dollar(s). Balance is now {balance} dollar(s)."
        if text.startswith("b"):
            return f"{balance} dollar(s) are in your balance."
        if text[:1] in ("d", "w") and text[1:].isascii() and text[1:].isdigit():
            Handler.pending[who] = (text[0], text[1:])
            return "\n\tPlease give the username and pin number.\n"
        return "Improper format, please send command again."


if __name__ == "__main__":
    read_account()
    addr = (os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "65434")))
    with socketserver.UDPServer(addr, Handler) as server:
        print("SERVER READY @", addr)
        server.serve_forever()
