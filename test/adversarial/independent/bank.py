#!/usr/bin/env python3
"""Bank protocol server (UDP).

Independent implementation written from docs/protocols/bank.md only.
Python 3.11, standard library only.

Environment:
  HOST (default 127.0.0.1), PORT (default 65434)
  MAX_DATAGRAM_BYTES (2048), CHALLENGE_TIMEOUT_MS (30000),
  MAX_WRONG_CREDENTIALS (5), THROTTLE_WINDOW_MS (60000)

The account is ./user.txt; its form and what to do with any other file are the
doc's (State and defaults, BANK-FILE-FORMAT, BANK-FILE-MALFORMED).  Every change
is written to .user.txt.tmp, fsynced and renamed over user.txt before it is
acknowledged (BANK-CRASH-DURABLE).

Choices where the doc is silent:
  * no user.txt at start: it is written at once; if that fails the server
    serves anyway, and a change whose write fails is not applied and gets no
    answer;
  * refusing to start (BANK-FILE-MALFORMED): one line on stderr naming the
    file, exit status 1; a dangling symlink, a FIFO or any other non-regular
    file counts as a file that is there but cannot be read;
  * a leftover .user.txt.tmp (never renamed, so never acknowledged) is removed
    at a start that goes ahead;
  * credentials are split at ASCII whitespace only (the MAY of
    BANK-CREDENTIALS-WORDS for other Unicode whitespace is not taken);
  * "within throttleWindowMs" / "until throttleWindowMs has passed": a gap of
    exactly throttleWindowMs counts as passed (the count starts again, the
    throttle is over);
  * an answer while the address is throttled (to a challenge issued before
    the throttle began) gets the throttled text unjudged (BANK-THROTTLE-PENDING)
    and counts as a wrong answer: it adds to the count and, as the last one,
    pushes the throttle's end back;
  * MAX_WRONG_CREDENTIALS of 0 or less turns throttling off;
  * the per-account limit of Guessing (maxWrongCredentialsPerAccount, a MAY)
    is not implemented: the server never throttles every address.

Throttling (BANK-THROTTLE, BANK-THROTTLE-WINDOW) is per IP address, whatever
the port: a count of wrong answers and the time of the last one.  A wrong
answer within throttleWindowMs of the previous one adds to the count, however
long ago the first came; after throttleWindowMs without one the count starts
again.  Once the count reaches maxWrongCredentials, that IP address's deposits
and withdrawals (from any port) get the throttled text instead of a challenge
until throttleWindowMs has passed since its last wrong answer; its balance and
malformed requests, and other addresses, are served as usual.  A right answer
resets nothing.
"""
import errno
import hmac
import os
import re
import select
import signal
import socket
import stat
import sys
import time

sys.set_int_max_str_digits(0)

BALANCE = "{balance} dollar(s) are in your balance."
CHALLENGE = "\n\tPlease give the username and pin number.\n"
DEPOSITED = "Deposited {amount} dollar(s). Balance is now {balance} dollar(s)."
WITHDREW = "Withdrew {amount} dollar(s). Balance is now {balance} dollar(s)."
DEPOSIT_DENIED = "Invalid credentails. Please try the deposit command again."
WITHDRAW_DENIED = "Invalid credentials. Please try the withdraw command again."
IMPROPER_FORMAT = "Improper format, please send command again."
THROTTLED = "Too many wrong credentials. Please wait and try again."

DEFAULT_PORT = 65434
DATA_FILE = "user.txt"
TMP_FILE = ".user.txt.tmp"
DEFAULT_USERNAME = "charles"
DEFAULT_PIN = "02323"

AMOUNT_RE = re.compile(rb"[0-9]+")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        print(f"bank: ignoring {name}={raw!r} (not an integer), using {default}",
              file=sys.stderr, flush=True)
        return default


HOST = os.environ.get("HOST") or "127.0.0.1"
PORT = env_int("PORT", DEFAULT_PORT)
MAX_DATAGRAM_BYTES = env_int("MAX_DATAGRAM_BYTES", 2048)
CHALLENGE_TIMEOUT_MS = env_int("CHALLENGE_TIMEOUT_MS", 30000)
MAX_WRONG_CREDENTIALS = env_int("MAX_WRONG_CREDENTIALS", 5)
THROTTLE_WINDOW_MS = env_int("THROTTLE_WINDOW_MS", 60000)

RECV_BUFFER = 65536 + 1          # larger than any UDP payload: oversize is detectable
SWEEP_INTERVAL = 1.0



def throttle_key(key):
    """The throttle counts per IP address, whatever the port (BANK-THROTTLE)."""
    return key[0] if isinstance(key, tuple) else key

# BANK-FILE-MALFORMED: the balance line is `-?[0-9]+`; no line may hold a
# character with Unicode's White_Space property (ASCII whitespace included).
BALANCE_LINE_RE = re.compile(r"-?[0-9]+")
WHITESPACE_RE = re.compile(
    "[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def refuse(path, why):
    """Refuse to start: one line on stderr naming the file, exit status 1."""
    raise SystemExit(f"bank: refusing to start: {path} {why}; the file is left as it was")


def parse_account_file(path, raw):
    """Return (balance, username, pin) from the bytes of an account file, or
    refuse to start if they are in any other form."""
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        refuse(path, "is not an account file (not UTF-8)")
    parts = text.split("\n")
    # exactly three lines, each ended by \n: three \n, nothing after the last
    if len(parts) != 4 or parts[3] != "":
        refuse(path, f"is not an account file (it must be exactly three lines, "
                     f"each ended by \\n; it has {text.count(chr(10))} \\n and "
                     f"{'nothing' if parts[-1] == '' else 'text'} after the last)")
    balance_text, username, pin = parts[:3]
    for name, value in (("balance", balance_text), ("username", username), ("PIN", pin)):
        if value == "":
            refuse(path, f"is not an account file (the {name} line is empty)")
        if WHITESPACE_RE.search(value):
            refuse(path, f"is not an account file (the {name} line holds whitespace)")
    if not BALANCE_LINE_RE.fullmatch(balance_text):
        refuse(path, "is not an account file (the balance line is not an integer)")
    return int(balance_text), username, pin


class StorageError(Exception):
    pass


class Account:
    def __init__(self, folder):
        self.folder = folder
        self.path = os.path.join(folder, DATA_FILE)
        self.tmp = os.path.join(folder, TMP_FILE)
        self.balance = 0
        self.username = DEFAULT_USERNAME
        self.pin = DEFAULT_PIN
        self._load_or_create()

    def _load_or_create(self):
        """State and defaults: a missing file is a new account; an existing one
        must be an account file (BANK-FILE-MALFORMED) and gives the balance,
        username and PIN (BANK-LOAD-EXISTING, BANK-LOAD-CREDENTIALS).  On any
        other file the server refuses to start: one line on stderr naming the
        file, exit status 1, nothing in the folder touched."""
        try:
            os.lstat(self.path)
        except FileNotFoundError:
            exists = False
        except OSError as e:
            refuse(self.path, f"cannot be examined ({e.strerror or e})")
        else:
            exists = True
        if exists:
            # a dangling symlink, a directory or an unreadable file exists but
            # is no account file we can read: refuse rather than write over it
            # (O_NONBLOCK: a FIFO must not hang the start; only a regular file,
            # or a symlink to one, can be an account file)
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
                try:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        refuse(self.path, "cannot be read (not a regular file)")
                    with os.fdopen(os.dup(fd), "rb") as f:
                        raw = f.read()
                finally:
                    os.close(fd)
            except OSError as e:
                refuse(self.path, f"cannot be read ({e.strerror or e})")
            self.balance, self.username, self.pin = parse_account_file(self.path, raw)
        self._drop_stale_tmp()
        if not exists:
            # "it may write the file at once, and must once it acknowledges a
            # change": write it now; if that fails, serve anyway (every change
            # is written before it is acknowledged, and a failed write is not)
            try:
                self.save(self.balance)
            except StorageError as e:
                print(f"bank: could not create {self.path} yet: {e}",
                      file=sys.stderr, flush=True)

    def _drop_stale_tmp(self):
        try:
            os.unlink(self.tmp)   # a write interrupted by a kill: never renamed, so not acknowledged
        except OSError:
            pass

    def credentials_right(self, data):
        """BANK-CREDENTIALS-WORDS: words split at ASCII whitespace; the first
        word less its first code point must be the username, the second less its
        first code point the PIN; further words are ignored."""
        # BANK-UTF8-INVALID: an answer that is not valid UTF-8 (anywhere in
        # it, ignored words included) is wrong credentials
        try:
            data.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return False
        # bytes.split() with no argument splits at exactly the ASCII whitespace
        # the doc names (space, \t, \n, \v, \f, \r), any run of it, and drops
        # it before the first word and after the last
        words = data.split()
        if len(words) < 2:            # BANK-CREDENTIALS-MISSING
            return False
        user = words[0].decode("utf-8")[1:].encode("utf-8")
        pin = words[1].decode("utf-8")[1:].encode("utf-8")
        # compare both parts in constant time, without short-circuiting
        user_ok = hmac.compare_digest(user, self.username.encode("utf-8"))
        pin_ok = hmac.compare_digest(pin, self.pin.encode("utf-8"))
        return user_ok & pin_ok

    def save(self, balance):
        """Write the account with `balance` crash-safely; raise StorageError on failure."""
        content = f"{balance}\n{self.username}\n{self.pin}\n".encode("utf-8")
        try:
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                view = memoryview(content)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self.tmp, self.path)
            try:
                dfd = os.open(self.folder, os.O_RDONLY)
                try:
                    os.fsync(dfd)
                finally:
                    os.close(dfd)
            except OSError:
                pass
        except OSError as e:
            raise StorageError(str(e)) from e


class Pending:
    __slots__ = ("kind", "amount_text", "amount", "expires")

    def __init__(self, kind, amount_text, amount, expires):
        self.kind = kind
        self.amount_text = amount_text
        self.amount = amount
        self.expires = expires


class Bank:
    def __init__(self, account):
        self.account = account
        self.pending = {}     # address key -> Pending
        self.wrong = {}       # IP address -> (count of wrong answers, monotonic time of the last)
        self.next_sweep = time.monotonic() + SWEEP_INTERVAL

    # ---- throttling ---------------------------------------------------------
    # BANK-THROTTLE, BANK-THROTTLE-WINDOW: per IP address, a count of wrong
    # answers and the time of the last one.  A wrong answer within
    # throttleWindowMs of the previous one adds to the count, however long ago
    # the first came; one after a quiet throttleWindowMs starts it again at 1.
    # A right answer resets nothing.  The address is throttled while the count
    # is at least maxWrongCredentials and throttleWindowMs has not passed since
    # its last wrong answer.
    def _record_wrong(self, ip, now):
        window = THROTTLE_WINDOW_MS / 1000.0
        state = self.wrong.get(ip)
        if state is None or now - state[1] >= window:
            count = 1
        else:
            count = state[0] + 1
        self.wrong[ip] = (count, now)

    def _is_throttled(self, ip, now):
        if MAX_WRONG_CREDENTIALS <= 0:
            return False
        state = self.wrong.get(ip)
        if state is None:
            return False
        count, last = state
        if now - last >= THROTTLE_WINDOW_MS / 1000.0:
            del self.wrong[ip]          # quiet for a window: served as usual again
            return False
        return count >= MAX_WRONG_CREDENTIALS

    def sweep(self, now):
        if now < self.next_sweep:
            return
        self.next_sweep = now + SWEEP_INTERVAL
        window = THROTTLE_WINDOW_MS / 1000.0
        for key in [k for k, p in self.pending.items() if now >= p.expires]:
            del self.pending[key]
        for ip in [k for k, (_c, last) in self.wrong.items() if now - last >= window]:
            del self.wrong[ip]

    # ---- one datagram -------------------------------------------------------
    def handle(self, data, key, now):
        """Return the reply text, or None to send nothing."""
        p = self.pending.get(key)
        if p is not None and now >= p.expires:
            del self.pending[key]       # expired: this datagram is a new request
            p = None
        if p is not None:
            del self.pending[key]
            return self._answer_challenge(p, data, key, now)
        return self._request(data, key, now)

    def _answer_challenge(self, p, data, key, now):
        # BANK-THROTTLE-PENDING: the throttle is judged when the answer comes
        if self._is_throttled(throttle_key(key), now):
            self._record_wrong(throttle_key(key), now)
            return THROTTLED
        # BANK-DATAGRAM-OVERSIZED: an answer of more than maxDatagramBytes bytes
        # is wrong credentials, whatever it holds
        right = len(data) <= MAX_DATAGRAM_BYTES and self.account.credentials_right(data)
        if not right:
            self._record_wrong(throttle_key(key), now)
            return DEPOSIT_DENIED if p.kind == "d" else WITHDRAW_DENIED
        new_balance = self.account.balance + p.amount if p.kind == "d" else self.account.balance - p.amount
        try:
            self.account.save(new_balance)
        except StorageError as e:
            print(f"bank: could not store the account, operation not applied: {e}",
                  file=sys.stderr, flush=True)
            return None
        self.account.balance = new_balance
        template = DEPOSITED if p.kind == "d" else WITHDREW
        return template.format(amount=p.amount_text, balance=new_balance)

    def _request(self, data, key, now):
        # BANK-DATAGRAM-OVERSIZED (whatever it starts with), BANK-EMPTY-DATAGRAM
        if len(data) > MAX_DATAGRAM_BYTES or not data:
            return IMPROPER_FORMAT
        # BANK-UTF8-INVALID: a request that is not valid UTF-8 is improper
        # format, one that starts with `b` too
        try:
            data.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return IMPROPER_FORMAT
        # BANK-BALANCE-ANY-SUFFIX: first character `b`, whatever valid UTF-8 follows
        if data[:1] == b"b":
            return BALANCE.format(balance=self.account.balance)
        # BANK-AMOUNT-MALFORMED: d/w and one or more ASCII digits, nothing else
        kind = data[:1]
        if kind in (b"d", b"w") and AMOUNT_RE.fullmatch(data, 1):
            if self._is_throttled(throttle_key(key), now):
                return THROTTLED
            amount_text = data[1:].decode("ascii")
            self.pending[key] = Pending(kind.decode("ascii"), amount_text, int(amount_text),
                                        now + CHALLENGE_TIMEOUT_MS / 1000.0)
            return CHALLENGE
        return IMPROPER_FORMAT


def bind_socket():
    infos = socket.getaddrinfo(HOST, PORT, socket.AF_UNSPEC, socket.SOCK_DGRAM, 0,
                               socket.AI_PASSIVE)
    last_err = None
    for family, socktype, proto, _canon, addr in infos:
        s = socket.socket(family, socktype, proto)
        try:
            if family == socket.AF_INET6:
                try:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                except OSError:
                    pass
            s.bind(addr)
            return s
        except OSError as e:
            last_err = e
            s.close()
    raise last_err or OSError("cannot bind")


def main():
    stop = {"flag": False}

    def on_signal(signum, frame):
        stop["flag"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    account = Account(os.getcwd())
    bank = Bank(account)
    sock = bind_socket()
    sock.setblocking(False)
    addr = sock.getsockname()
    print(f"bank listening on {addr[0]}:{addr[1]} (UDP)", flush=True)

    # wake select() at once on a signal
    rfd, wfd = os.pipe()
    os.set_blocking(rfd, False)
    os.set_blocking(wfd, False)
    signal.set_wakeup_fd(wfd, warn_on_full_buffer=False)

    try:
        while not stop["flag"]:
            try:
                readable, _, _ = select.select([sock, rfd], [], [], SWEEP_INTERVAL)
            except InterruptedError:
                continue
            if rfd in readable:
                try:
                    os.read(rfd, 512)
                except OSError:
                    pass
            if sock not in readable:
                bank.sweep(time.monotonic())
                continue
            for _ in range(256):          # a batch, then check the stop flag again
                if stop["flag"]:
                    break
                try:
                    data, peer = sock.recvfrom(RECV_BUFFER)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError as e:
                    # e.g. ECONNREFUSED reported for an earlier reply; keep serving
                    if e.errno in (errno.EBADF,):
                        raise
                    continue
                now = time.monotonic()
                bank.sweep(now)
                try:
                    reply = bank.handle(data, peer[:2], now)
                except Exception as e:   # never let one datagram stop the server
                    print(f"bank: internal error on a datagram: {e!r}", file=sys.stderr, flush=True)
                    reply = None
                if reply is None:
                    continue
                try:
                    sock.sendto(reply.encode("utf-8"), peer)
                except OSError:
                    pass
    finally:
        signal.set_wakeup_fd(-1)
        sock.close()
        os.close(rfd)
        os.close(wfd)


if __name__ == "__main__":
    main()
