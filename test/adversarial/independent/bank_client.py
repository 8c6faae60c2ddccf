#!/usr/bin/env python3
"""Interactive client for the bank protocol over UDP (docs-only-bank/bank.md).

Run as ``python3 bank_client.py``; the server is at $HOST:$PORT.

Menu (the default driver of checking-a-client.md):
    1            balance            -> sends ``b``
    2, amount    withdraw           -> sends ``w<amount>``
    3, amount    deposit            -> sends ``d<amount>``
    on the challenge: username, PIN -> sends ``u<username> p<pin>``
    4 (or q)     quit  (end of input and Ctrl+C also end the client)

Client rules followed (bank.md, "Clients"):
  BANKC-SEND-EXACT        one datagram, exactly the request, amount as typed.
  BANKC-CREDENTIALS-EXACT one datagram ``u<username> p<pin>``, as typed, only
                          after the server's challenge.
  BANKC-SPOOF-IGNORED     socket connect()ed to the server, and every sender
                          is compared with the server's address and port too.
  BANKC-LOST-REPLY        each wait ends clientReplyTimeoutMs after the send.
  BANKC-NO-RESEND         nothing is ever sent again on its own.
  BANKC-SHOW-REPLIES      every datagram from the server is printed verbatim.
"""

import os
import select
import socket
import sys
import time

# ---------------------------------------------------------------------------
# Values copied from bank.md, "Transport and framing" and "Wire texts".
# ---------------------------------------------------------------------------
DEFAULT_PORT = 65434                 # "Transport: UDP, default port 65434."
DEFAULT_HOST = "127.0.0.1"           # not given by the spec: loopback assumed
ENCODING = "utf-8"                   # "Encoding: utf-8."
MAX_DATAGRAM_BYTES = 2048            # maxDatagramBytes (server's request limit)
CLIENT_REPLY_TIMEOUT_MS = 2000       # clientReplyTimeoutMs (BANKC-LOST-REPLY)

# Replies (a balance) may grow without bound, so read far more than
# maxDatagramBytes rather than cut a reply: 65535 is the most UDP can carry.
RECV_BUFFER_BYTES = 65535

BALANCE_REQUEST = "b"                          # balanceRequest
DEPOSIT_REQUEST = "d{amount}"                  # depositRequest
WITHDRAW_REQUEST = "w{amount}"                 # withdrawRequest
CREDENTIALS = "u{username} p{pin}"             # credentials
CHALLENGE = "\n\tPlease give the username and pin number.\n"   # challenge

MENU = (
    "\n"
    "Bank menu:\n"
    "  1 - check the balance\n"
    "  2 - withdraw\n"
    "  3 - deposit\n"
    "  4 - quit\n"
)


class InputClosed(Exception):
    """Standard input reached end of file."""


class BankClient:
    def __init__(self, host: str, port: int) -> None:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
        family, socktype, proto, _, addr = infos[0]
        self.sock = socket.socket(family, socktype, proto)
        # connect(): the kernel then drops datagrams from any other address or
        # port (BANKC-SPOOF-IGNORED); we still check the sender ourselves.
        self.sock.connect(addr)
        self.server = (addr[0], addr[1])
        self._stdin_buf = b""
        self._stdin_eof = False

    # -- output -------------------------------------------------------------
    @staticmethod
    def say(text: str = "", end: str = "\n") -> None:
        sys.stdout.write(text + end)
        sys.stdout.flush()

    def show_reply(self, text: str, late: bool = False) -> None:
        # BANKC-SHOW-REPLIES: the text exactly as sent, after a fixed label.
        label = "From Server (late reply): " if late else "From Server: "
        self.say(label + text)

    # -- the socket ---------------------------------------------------------
    def _is_server(self, sender) -> bool:
        return (sender[0], sender[1]) == self.server

    def _receive_one(self):
        """Read one datagram now. Returns its text if it is the server's,
        None if it must be ignored (another sender)."""
        data, sender = self.sock.recvfrom(RECV_BUFFER_BYTES)
        if not self._is_server(sender):
            return None          # BANKC-SPOOF-IGNORED: neither shown nor used
        return data.decode(ENCODING, errors="replace")

    def _show_unsolicited(self) -> None:
        """Show whatever the server sent while no request was waiting
        (a reply that came after we gave up on it); never act on it."""
        while True:
            ready, _, _ = select.select([self.sock], [], [], 0)
            if not ready:
                return
            try:
                text = self._receive_one()
            except OSError:      # e.g. ICMP port unreachable from a send
                continue
            if text is not None:
                self.show_reply(text, late=True)

    def send(self, text: str) -> bool:
        """Send one datagram holding exactly `text` (BANKC-SEND-EXACT)."""
        self._show_unsolicited()   # an old late reply is not this one's reply
        try:
            self.sock.send(text.encode(ENCODING))
        except OSError as exc:
            self.say(f"Could not send to the server: {exc}")
            return False
        return True

    def await_reply(self):
        """Wait for the server's reply, at most clientReplyTimeoutMs after
        the send; returns its text, or None after saying none came."""
        deadline = time.monotonic() + CLIENT_REPLY_TIMEOUT_MS / 1000.0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                break
            try:
                text = self._receive_one()
            except ConnectionRefusedError:
                self.say("No reply: the server refused the datagram "
                         "(is it running?).")
                return None
            except OSError:
                continue
            if text is not None:
                return text
        self.say(f"No reply from the server within "
                 f"{CLIENT_REPLY_TIMEOUT_MS} ms.")
        return None

    # -- standard input -----------------------------------------------------
    def read_line(self, prompt: str) -> str:
        """One line of standard input without its line end; replies that
        arrive from the server meanwhile are shown at once."""
        self.say(prompt, end="")
        while b"\n" not in self._stdin_buf and not self._stdin_eof:
            ready, _, _ = select.select([sys.stdin.fileno(), self.sock], [], [])
            if self.sock in ready:
                self._show_unsolicited()
            if sys.stdin.fileno() in ready:
                chunk = os.read(sys.stdin.fileno(), 4096)
                if chunk:
                    self._stdin_buf += chunk
                else:
                    self._stdin_eof = True
        if b"\n" in self._stdin_buf:
            line, self._stdin_buf = self._stdin_buf.split(b"\n", 1)
        elif self._stdin_buf:
            line, self._stdin_buf = self._stdin_buf, b""   # last line, no \n
        else:
            raise InputClosed()
        # Only the line end is removed: amounts, usernames and PINs are sent
        # as typed (BANKC-SEND-EXACT, BANKC-CREDENTIALS-EXACT).
        return line.decode(ENCODING, errors="replace")

    # -- the commands -------------------------------------------------------
    def balance(self) -> None:
        # BANKC-NO-RESEND allows resending `b`; we do not, for simplicity.
        if self.send(BALANCE_REQUEST):
            reply = self.await_reply()
            if reply is not None:
                self.show_reply(reply)

    def change(self, template: str, what: str) -> None:
        amount = self.read_line(f"Amount to {what}: ")
        if not self.send(template.format(amount=amount)):
            return
        reply = self.await_reply()
        if reply is None:
            self.say("The request may or may not have reached the server. "
                     "It is not sent again: check the balance before "
                     "repeating it.")
            return
        self.show_reply(reply)
        if reply != CHALLENGE:
            return    # throttled, improper format, ...: nothing to answer
        username = self.read_line("Username: ")
        pin = self.read_line("PIN: ")
        if not self.send(CREDENTIALS.format(username=username, pin=pin)):
            return
        reply = self.await_reply()
        if reply is None:
            self.say("Whether the operation was applied is unknown. It is not "
                     "sent again: check the balance before repeating it.")
            return
        self.show_reply(reply)

    def run(self) -> None:
        self.say(f"Bank client for {self.server[0]}:{self.server[1]}")
        while True:
            self.say(MENU, end="")
            choice = self.read_line("Your choice: ").strip()
            if choice == "1":
                self.balance()
            elif choice == "2":
                self.change(WITHDRAW_REQUEST, "withdraw")
            elif choice == "3":
                self.change(DEPOSIT_REQUEST, "deposit")
            elif choice.lower() in ("4", "q", "quit", "exit"):
                self.say("Goodbye.")
                return
            elif choice:
                self.say(f"Unknown choice {choice!r}: type 1, 2, 3 or 4.")

    def close(self) -> None:
        self.sock.close()


def main() -> int:
    host = os.environ.get("HOST") or DEFAULT_HOST
    port_text = os.environ.get("PORT") or str(DEFAULT_PORT)
    try:
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        print(f"Bad PORT {port_text!r}: expected 1-65535.", file=sys.stderr)
        return 2
    try:
        client = BankClient(host, port)
    except OSError as exc:
        print(f"Cannot reach {host}:{port}: {exc}", file=sys.stderr)
        return 2
    try:
        client.run()
    except InputClosed:
        client.say("\nEnd of input: goodbye.")
    except KeyboardInterrupt:
        client.say("\nInterrupted: goodbye.")
        return 130
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # Our output was closed (the reader went away): end quietly.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        sys.exit(1)
