#!/usr/bin/env python3
"""Interactive client for the capitalizer protocol.

Usage:  HOST=127.0.0.1 PORT=65434 python3 capitalizer_client.py

Every line read from standard input is one sentence: it is sent to the
server as its UTF-8 bytes (without the line's end) in one write, and the
whole reply is read and shown before the next line is sent.

Everything here is taken from capitalizer.md (the protocol specification)
and checking-a-client.md; the section each constant comes from is noted.

Exit statuses:
    0    end of input (shutdown request sent), the limit notice, or the
         user typed the shutdown request itself
    1    the server closed or reset the connection, sent the busy notice,
         went silent past the reply timeout, or broke the protocol
    2    could not connect, or HOST/PORT unusable
    130  interrupted (SIGINT); the shutdown request was sent
"""

import errno
import os
import select
import signal
import socket
import sys

# --- Values from capitalizer.md ---------------------------------------------
# "Transport and framing": TCP, default port 65434, utf-8.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 65434
ENCODING = "utf-8"
# "Transport and framing": maxSentenceBytes 1024; a sentence is 1..1024 bytes.
MAX_SENTENCE_BYTES = 1024
# "Wire texts" table.
REPLY_SUFFIX = b"\nAwaiting next string..."                     # 24 bytes
LIMIT_NOTICE = b"STRINGS LIMIT REACHED, CLOSING CONNECTION"     # 41 bytes
SHUTDOWN_REQUEST = b"CLIENT REQUESTS SHUTDOWN"                  # 24 bytes
BUSY_NOTICE = b"SERVER BUSY, CLOSING CONNECTION"                # 31 bytes
# "Transport and framing": upper-casing can make a reply up to three times the
# sentence's bytes, and the suffix comes after.  Anything longer without the
# suffix cannot be a reply.
MAX_REPLY_BYTES = 3 * MAX_SENTENCE_BYTES + len(REPLY_SUFFIX)
# "Checking a server": every answer must begin within the reply timeout,
# 2000 ms.  The client uses the same bound for the reply to begin and for
# each further piece of it, and for connecting and writing.  (Not a wire
# value: it can be raised with REPLY_TIMEOUT_MS for a slow server.)
REPLY_TIMEOUT_MS = 2000

EXIT_OK = 0
EXIT_SERVER = 1
EXIT_CONNECT = 2
EXIT_INTERRUPTED = 130


class ClientExit(Exception):
    """Raised to leave the program with a status (and maybe a message)."""

    def __init__(self, status, message=None):
        super().__init__(message)
        self.status = status
        self.message = message


# --- Output helpers ----------------------------------------------------------

def show(data):
    """Write bytes to standard output exactly, then flush."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except (BrokenPipeError, ValueError, OSError):
        # Nobody is reading our output any more; keep going silently.
        _silence_stdout()


def _silence_stdout():
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except OSError:
        pass


def warn(text):
    """One-line diagnostic on standard error (never a traceback)."""
    try:
        sys.stderr.write("capitalizer client: " + text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


# --- SIGINT handling ---------------------------------------------------------
# The handler only records the signal; a byte on the wakeup pipe makes every
# select() below return, and the main code then leaves at a safe point.

_early_interrupt = False


def _early_handler(signum, frame):
    global _early_interrupt
    _early_interrupt = True


class Interrupts:
    def __init__(self):
        self.pending = _early_interrupt
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        os.set_blocking(self.write_fd, False)
        signal.set_wakeup_fd(self.write_fd, warn_on_full_buffer=False)
        signal.signal(signal.SIGINT, self._handler)
        self.pending = self.pending or _early_interrupt

    def _handler(self, signum, frame):
        self.pending = True

    def drain(self):
        try:
            while os.read(self.read_fd, 512):
                pass
        except (BlockingIOError, OSError):
            pass


# --- Standard input, read line by line without blocking the socket watch -----

class LineReader:
    def __init__(self, fd):
        self.fd = fd
        self.buffer = b""
        self.eof = False

    def next_line(self):
        """Return a complete line (without its end) if one is buffered.

        At end of input a last line without a newline is still a line."""
        pos = self.buffer.find(b"\n")
        if pos >= 0:
            line, self.buffer = self.buffer[:pos], self.buffer[pos + 1:]
            if line.endswith(b"\r"):   # a CR LF line end is a line end too
                line = line[:-1]
            return line
        if self.eof and self.buffer:
            line, self.buffer = self.buffer, b""
            return line
        return None

    def fill(self):
        try:
            chunk = os.read(self.fd, 65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if chunk:
            self.buffer += chunk
        else:
            self.eof = True


# --- The client --------------------------------------------------------------

class CapitalizerClient:
    def __init__(self, host, port, timeout):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.interrupts = Interrupts()
        self.stdin = LineReader(sys.stdin.fileno())
        self.prompt = sys.stdin.isatty() and sys.stdout.isatty()

    # connection -----------------------------------------------------------

    def connect(self):
        try:
            self.sock = socket.create_connection((self.host, self.port),
                                                 timeout=self.timeout)
        except OSError as exc:
            raise ClientExit(EXIT_CONNECT, "cannot connect to %s:%d: %s"
                             % (self.host, self.port, _reason(exc)))
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        # Writes are bounded by the timeout; reads go through select().
        self.sock.settimeout(self.timeout)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def send_one_write(self, data):
        """Send data as one write. Returns False if the server is gone."""
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def leave_with_shutdown(self, status):
        """Send exactly the shutdown request in one write, then close."""
        if self.sock is not None:
            self.send_one_write(SHUTDOWN_REQUEST)
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        self.close()
        raise ClientExit(status)

    def check_interrupt(self):
        if self.interrupts.pending:
            self.leave_with_shutdown(EXIT_INTERRUPTED)

    # main loop ---------------------------------------------------------------

    def run(self):
        self.connect()
        self.check_interrupt()
        while True:
            self.check_interrupt()
            line = self.stdin.next_line()
            if line is not None:
                self.handle_line(line)
                continue
            if self.stdin.eof:
                # End of input: leave as on an interrupt, with status 0.
                self.leave_with_shutdown(EXIT_OK)
            if self.prompt:
                show(b"> ")
            self.wait_for_input()

    def wait_for_input(self):
        """Wait for more standard input, watching the connection meanwhile
        (the server may close an idle connection or send the busy notice)."""
        wake = self.interrupts.read_fd
        while True:
            self.check_interrupt()
            try:
                ready, _, _ = select.select([self.stdin.fd, self.sock, wake],
                                            [], [])
            except InterruptedError:
                continue
            if wake in ready:
                self.interrupts.drain()
                self.check_interrupt()
            if self.sock in ready:
                self.unsolicited()
            if self.stdin.fd in ready:
                self.stdin.fill()
                return

    def unsolicited(self):
        """The server spoke while no sentence was outstanding."""
        outcome, data, _ = self.read_answer(expect_reply=False)
        if outcome == "busy":
            show(data + b"\n")
            self.close()
            raise ClientExit(EXIT_SERVER, "the server is busy")
        if outcome == "closed" and not data:
            self.close()
            raise ClientExit(EXIT_SERVER, "the server closed the connection")
        if outcome == "reset" and not data:
            self.close()
            raise ClientExit(EXIT_SERVER, "the server reset the connection")
        self.close()
        raise ClientExit(EXIT_SERVER, "unexpected data from the server: %r"
                         % bytes(data[:200]))

    def handle_line(self, line):
        if not line:
            warn("empty line not sent (a sentence is 1 to %d bytes)"
                 % MAX_SENTENCE_BYTES)
            return
        if len(line) > MAX_SENTENCE_BYTES:
            warn("line of %d bytes not sent (a sentence is at most %d bytes)"
                 % (len(line), MAX_SENTENCE_BYTES))
            return
        try:
            text = line.decode(ENCODING)
        except UnicodeDecodeError:
            warn("line is not valid UTF-8; not sent")
            return
        if line == SHUTDOWN_REQUEST:
            # Not a sentence: the server would close without a reply.  Typing
            # it is taken as asking to leave.
            self.leave_with_shutdown(EXIT_OK)

        if not self.send_one_write(line):
            self.close()
            raise ClientExit(EXIT_SERVER,
                             "the connection was lost while sending")

        # A reply may begin like the limit notice only if the sentence,
        # upper-cased, does; then the notice is told apart by the close.
        ambiguous = text.upper().encode(ENCODING).startswith(LIMIT_NOTICE)
        outcome, data, extra = self.read_answer(expect_reply=True,
                                                ambiguous=ambiguous)
        if outcome == "reply":
            show(bytes(data) + b"\n")
            if extra:
                self.close()
                raise ClientExit(EXIT_SERVER,
                                 "unexpected data after the reply: %r"
                                 % bytes(extra[:200]))
            return
        if outcome == "limit":
            show(bytes(data) + b"\n")
            self.close()
            raise ClientExit(EXIT_OK)
        if outcome == "interrupted":
            # SIGINT while waiting: the sentence was already sent and read.
            self.leave_with_shutdown(EXIT_INTERRUPTED)
        self.close()
        if outcome == "busy":
            show(bytes(data) + b"\n")
            raise ClientExit(EXIT_SERVER, "the server is busy")
        messages = {
            "closed": "the server closed the connection before the reply "
                      "was complete",
            "reset": "the server reset the connection before the reply "
                     "was complete",
            "timeout": "no complete reply within %d ms" % (self.timeout * 1000),
            "too long": "the reply has no reply suffix after %d bytes"
                        % MAX_REPLY_BYTES,
        }
        msg = messages.get(outcome, outcome)
        if data:
            msg += " (%d bytes received: %r)" % (len(data), bytes(data[:80]))
        raise ClientExit(EXIT_SERVER, msg)

    def read_answer(self, expect_reply, ambiguous=False):
        """Read until an answer is complete.

        Returns (outcome, data, extra) with outcome one of "reply", "limit",
        "busy", "closed", "reset", "timeout", "too long", "interrupted".
        Every wait is bounded by the reply timeout (for the answer to begin,
        and again after each piece)."""
        buf = bytearray()
        wake = self.interrupts.read_fd
        while True:
            if expect_reply and self.interrupts.pending:
                return "interrupted", buf, b""
            try:
                ready, _, _ = select.select([self.sock, wake], [], [],
                                            self.timeout)
            except InterruptedError:
                continue
            if wake in ready:
                self.interrupts.drain()
                if self.sock not in ready:
                    continue
            if not ready:
                if buf == LIMIT_NOTICE and expect_reply:
                    # Ambiguous prefix and no more came: it was the notice.
                    return "limit", buf, b""
                return "timeout", buf, b""
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, BlockingIOError, InterruptedError):
                continue
            except OSError as exc:
                if exc.errno in (errno.ECONNRESET, errno.EPIPE,
                                 errno.ECONNABORTED, errno.ETIMEDOUT):
                    if buf == LIMIT_NOTICE and expect_reply:
                        return "limit", buf, b""
                    if buf == BUSY_NOTICE:
                        return "busy", buf, b""
                    return "reset", buf, b""
                raise
            if not chunk:
                if buf == LIMIT_NOTICE and expect_reply:
                    return "limit", buf, b""
                if buf == BUSY_NOTICE:
                    return "busy", buf, b""
                return "closed", buf, b""
            buf += chunk
            if expect_reply:
                # Upper-cased text has no lower-case ASCII letters, so the
                # suffix (which has) can only be the end of the reply.
                end = buf.find(REPLY_SUFFIX)
                if end >= 0:
                    end += len(REPLY_SUFFIX)
                    return "reply", buf[:end], buf[end:]
                if buf == LIMIT_NOTICE and not ambiguous:
                    return "limit", buf, b""
                if len(buf) > MAX_REPLY_BYTES:
                    return "too long", buf, b""
            else:
                if not BUSY_NOTICE.startswith(bytes(buf)):
                    return "unexpected", buf, b""
                # Busy notice: wait for the close that follows it.


def _reason(exc):
    return exc.strerror or str(exc) or exc.__class__.__name__


def _settings():
    host = os.environ.get("HOST") or DEFAULT_HOST
    port_text = os.environ.get("PORT") or str(DEFAULT_PORT)
    try:
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise ClientExit(EXIT_CONNECT, "PORT must be a TCP port number, not %r"
                         % port_text)
    timeout_text = os.environ.get("REPLY_TIMEOUT_MS") or str(REPLY_TIMEOUT_MS)
    try:
        timeout_ms = int(timeout_text)
        if timeout_ms <= 0:
            raise ValueError
    except ValueError:
        raise ClientExit(EXIT_CONNECT, "REPLY_TIMEOUT_MS must be a positive "
                         "number of milliseconds, not %r" % timeout_text)
    return host, port, timeout_ms / 1000.0


def main():
    client = None
    try:
        host, port, timeout = _settings()
        client = CapitalizerClient(host, port, timeout)
        client.run()
        status = EXIT_OK
    except ClientExit as done:
        if done.message:
            warn(done.message)
        status = done.status
    except KeyboardInterrupt:
        # Only possible before our handler is installed.
        status = EXIT_INTERRUPTED
    except Exception as exc:  # never a traceback
        warn("unexpected error: %s: %s" % (exc.__class__.__name__, exc))
        status = EXIT_SERVER
    finally:
        if client is not None:
            client.close()
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()
    return status


if __name__ == "__main__":
    # Install a quiet SIGINT handler before anything else can be interrupted.
    signal.signal(signal.SIGINT, _early_handler)
    sys.exit(main())
