"""Bank server for HW2 written with asyncio's DatagramProtocol."""
import asyncio
import os

TEXTS = {
    "challenge": "\n\tPlease give the username and pin number.\n",
    "balance": "{} dollar(s) are in your balance.",
    "d_ok": "Deposited {} dollar(s). Balance is now {} dollar(s).",
    "w_ok": "Withdrew {} dollar(s). Balance is now {} dollar(s).",
    "d_bad": "Invalid credentails. Please try the deposit command again.",
    "w_bad": "Invalid credentials. Please try the withdraw command again.",
    "improper": "Improper format, please send command again.",
}


class Account:
    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                first, self.name, self.pin = f.read().split("\n")[:3]
            self.balance = int(first)
        else:
            self.balance, self.name, self.pin = 0, "charles", "02323"
            self.save()

    def save(self):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(f"{self.balance}\n{self.name}\n{self.pin}\n")


class Bank(asyncio.DatagramProtocol):
    def __init__(self):
        self.account = Account("user.txt")
        self.challenged = {}

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        try:
            text = data.decode()
        except UnicodeDecodeError:
            text = None
        self.transport.sendto(self.handle(text, addr).encode(), addr)

    def handle(self, text, addr):
        if addr in self.challenged:
            kind, amount = self.challenged.pop(addr)
            words = (text or "").split()
            ok = len(words) >= 2 and words[0][1:] == self.account.name and words[1][1:] == self.account.pin
            if not ok:
                return TEXTS[kind + "_bad"]
            self.account.balance += int(amount) if kind == "d" else -int(amount)
            self.account.save()
            return TEXTS[kind + "_ok"].format(amount, self.account.balance)
        if text is None or text == "":
            return TEXTS["improper"]
        if text[0] == "b":
            return TEXTS["balance"].format(self.account.balance)
        amount = text[1:]
        if text[0] in "dw" and amount and all(c in "0123456789" for c in amount):
            self.challenged[addr] = (text[0], amount)
            return TEXTS["challenge"]
        return TEXTS["improper"]


async def main():
    loop = asyncio.get_running_loop()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "65434"))
    await loop.create_datagram_endpoint(Bank, local_addr=(host, port))
    print("SERVER READY @", (host, port))
    await asyncio.Event().wait()


asyncio.run(main())
