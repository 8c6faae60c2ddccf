#!/usr/bin/env python3
"""Capitalizer protocol server (TCP).

Independent implementation written from docs/protocols/capitalizer.md only.
Python 3.11, standard library only.

Environment:
  HOST (default 127.0.0.1), PORT (default 65434)
  MAX_SENTENCE_BYTES (1024), QUOTA (10), MIN_CONCURRENT_CLIENTS (4, informational),
  IDLE_TIMEOUT_MS (60000; <= 0 disables the idle timeout), MAX_CONNECTIONS (1024)

Design: one thread, a selectors event loop over non-blocking sockets, so the
server-wide quota is checked and incremented atomically (CAP-QUOTA-RACE), any
number of connections are served side by side (CAP-CONCURRENT-CLIENTS), and no
client can block another.  Framing follows the doc: one recv(maxSentenceBytes)
is one sentence.

Choices where the doc is silent (see the report that accompanies this file):
  * the shutdown request is recognised only when a read is exactly the 24 bytes
    `CLIENT REQUESTS SHUTDOWN` (no trailing newline);
  * while a reply is still being written the connection is not read
    (one reply per sentence, bounded buffering);
  * the connection is closed gracefully: FIN first (shutdown SHUT_WR), then
    whatever the client still sends is read and discarded for a short while,
    so that the limit notice is not destroyed by an RST;
  * the idle timeout counts from the last bytes received from the client.
"""
import errno
import os
import selectors
import signal
import socket
import sys
import time

REPLY_SUFFIX = "\nAwaiting next string..."
LIMIT_NOTICE = b"STRINGS LIMIT REACHED, CLOSING CONNECTION"
SHUTDOWN_REQUEST = b"CLIENT REQUESTS SHUTDOWN"
BUSY_NOTICE = b"SERVER BUSY, CLOSING CONNECTION"

DEFAULT_PORT = 65434


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        print(f"capitalizer: ignoring {name}={raw!r} (not an integer), using {default}",
              file=sys.stderr, flush=True)
        return default


HOST = os.environ.get("HOST") or "127.0.0.1"
PORT = env_int("PORT", DEFAULT_PORT)
MAX_SENTENCE_BYTES = max(1, env_int("MAX_SENTENCE_BYTES", 1024))
QUOTA = max(0, env_int("QUOTA", 10))
MIN_CONCURRENT_CLIENTS = env_int("MIN_CONCURRENT_CLIENTS", 4)  # met by design
IDLE_TIMEOUT_MS = env_int("IDLE_TIMEOUT_MS", 60000)
MAX_CONNECTIONS = env_int("MAX_CONNECTIONS", 1024)
# Added with the revised doc (CAP-CONNECTION-LIMIT-PER-ADDRESS): one IP address gets at most this many.
MAX_CONNECTIONS_PER_ADDRESS = env_int("MAX_CONNECTIONS_PER_ADDRESS", 64)

# Implementation bounds (not in the doc).
DRAIN_SECONDS = 2.0            # how long a closing connection is drained after FIN
DRAIN_MAX_BYTES = 1 << 20      # and at most this much is discarded
FLUSH_SECONDS = 10.0           # how long a final notice may take to be written
BUSY_DRAIN_SECONDS = 1.0
MAX_DRAINING = 1024            # closed connections drained at once; beyond: closed at once
SWEEP_INTERVAL = 0.05
ACCEPT_BATCH = 64

OPEN, FLUSHING, DRAINING = "open", "flushing", "draining"


class Conn:
    __slots__ = ("sock", "state", "out", "last_rx", "deadline", "counted", "ip", "drained", "events")

    def __init__(self, sock, counted):
        self.sock = sock
        self.state = OPEN
        self.out = b""
        self.last_rx = time.monotonic()
        self.deadline = None
        self.counted = counted     # counts against maxConnections
        self.ip = None             # the client's IP address, when counted
        self.drained = 0
        self.events = 0


class Server:
    def __init__(self):
        self.sel = selectors.DefaultSelector()
        self.conns = {}            # fd -> Conn
        self.open_count = 0        # connections counting against maxConnections
        self.open_from = {}        # IP address -> its connections counting against the caps
        self.draining = 0
        self.sentences_answered = 0  # the server-wide quota counter
        self.listener = self._listen()
        self.reserve_fd = self._open_reserve()
        self.next_sweep = time.monotonic() + SWEEP_INTERVAL

    # ---- setup -------------------------------------------------------------
    def _listen(self):
        infos = socket.getaddrinfo(HOST, PORT, socket.AF_UNSPEC, socket.SOCK_STREAM, 0,
                                   socket.AI_PASSIVE)
        last_err = None
        for family, socktype, proto, _canon, addr in infos:
            s = socket.socket(family, socktype, proto)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    try:
                        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    except OSError:
                        pass
                s.bind(addr)
                s.listen(max(socket.SOMAXCONN, MIN_CONCURRENT_CLIENTS, 128))
                s.setblocking(False)
                self.sel.register(s, selectors.EVENT_READ, None)
                return s
            except OSError as e:
                last_err = e
                s.close()
        raise last_err or OSError("cannot bind")

    @staticmethod
    def _open_reserve():
        try:
            return os.open(os.devnull, os.O_RDONLY)
        except OSError:
            return None

    # ---- connection bookkeeping ---------------------------------------------
    def _set_events(self, c, events):
        if events == c.events:
            return
        try:
            if c.events == 0:
                self.sel.register(c.sock, events, c)
            elif events == 0:
                self.sel.unregister(c.sock)
            else:
                self.sel.modify(c.sock, events, c)
            c.events = events
        except (KeyError, ValueError, OSError):
            self._close(c)

    def _uncount_ip(self, c):
        left = self.open_from.get(c.ip, 1) - 1
        if left <= 0:
            self.open_from.pop(c.ip, None)
        else:
            self.open_from[c.ip] = left

    def _close(self, c):
        fd = c.sock.fileno()
        if fd in self.conns and self.conns[fd] is c:
            del self.conns[fd]
            if c.counted:
                self.open_count -= 1
                self._uncount_ip(c)
            if c.state == DRAINING:
                self.draining -= 1
        if c.events:
            try:
                self.sel.unregister(c.sock)
            except (KeyError, ValueError, OSError):
                pass
            c.events = 0
        try:
            c.sock.close()
        except OSError:
            pass

    def _begin_close(self, c, final=b""):
        """Send `final` (possibly nothing), then FIN, then drain, then close."""
        c.state = FLUSHING
        c.out += final
        c.deadline = time.monotonic() + FLUSH_SECONDS
        self._flush(c)

    def _after_flush_closing(self, c):
        try:
            c.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(c)
            return
        # Our side is closed now (FIN sent): the connection no longer counts
        # against maxConnections.  Drain it briefly, if there is room for it.
        busy = not c.counted
        if c.counted:
            c.counted = False
            self.open_count -= 1
            self._uncount_ip(c)
        if self.draining >= MAX_DRAINING:
            self._close(c)
            return
        self.draining += 1
        c.deadline = time.monotonic() + (BUSY_DRAIN_SECONDS if busy else DRAIN_SECONDS)
        c.state = DRAINING
        self._set_events(c, selectors.EVENT_READ)

    def _flush(self, c):
        while c.out:
            try:
                n = c.sock.send(c.out)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self._close(c)
                return
            c.out = c.out[n:]
        if c.out:
            self._set_events(c, selectors.EVENT_WRITE)
            return
        if c.state == FLUSHING:
            self._after_flush_closing(c)
        elif c.state == OPEN:
            self._set_events(c, selectors.EVENT_READ)

    # ---- events -------------------------------------------------------------
    def _accept(self):
        for _ in range(ACCEPT_BATCH):
            try:
                sock, peer = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    self._shed_one()
                    return
                # ECONNABORTED, EPROTO, ...: that connection is gone; go on
                continue
            try:
                sock.setblocking(False)
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except OSError:
                    pass
            except OSError:
                sock.close()
                continue
            ip = peer[0] if isinstance(peer, tuple) else peer
            if self.open_count >= MAX_CONNECTIONS or self.open_from.get(ip, 0) >= MAX_CONNECTIONS_PER_ADDRESS:
                c = Conn(sock, counted=False)
                self.conns[sock.fileno()] = c
                self._begin_close(c, BUSY_NOTICE)
            else:
                c = Conn(sock, counted=True)
                c.ip = ip
                self.conns[sock.fileno()] = c
                self.open_count += 1
                self.open_from[ip] = self.open_from.get(ip, 0) + 1
                self._set_events(c, selectors.EVENT_READ)

    def _shed_one(self):
        """Out of file descriptors: use the reserve descriptor to take the
        pending connection off the queue and refuse it, so accept does not spin."""
        if self.reserve_fd is None:
            time.sleep(0.01)
            return
        os.close(self.reserve_fd)
        self.reserve_fd = None
        try:
            sock, _ = self.listener.accept()
            try:
                sock.setblocking(False)
                sock.send(BUSY_NOTICE)
            except OSError:
                pass
            sock.close()
        except OSError:
            pass
        self.reserve_fd = self._open_reserve()

    def _on_readable(self, c):
        if c.state == DRAINING:
            try:
                data = c.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                self._close(c)
                return
            if not data:
                self._close(c)
                return
            c.drained += len(data)
            if c.drained > DRAIN_MAX_BYTES:
                self._close(c)
            return
        if c.state != OPEN or c.out:
            return
        try:
            data = c.sock.recv(MAX_SENTENCE_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            # reset by the peer or similar: ends the connection, counts nothing
            self._close(c)
            return
        if not data:
            # the client closed: no sentence, no quota used (CAP-DISCONNECT-NO-COUNT)
            self._close(c)
            return
        c.last_rx = time.monotonic()
        try:
            text = data.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            # not counted, nothing sent, connection closed (CAP-UTF8-INVALID-*)
            self._begin_close(c)
            return
        if data == SHUTDOWN_REQUEST:
            self._begin_close(c)          # nothing sent, not counted
            return
        if self.sentences_answered < QUOTA:
            self.sentences_answered += 1
            c.out = (text.upper() + REPLY_SUFFIX).encode("utf-8")
            self._flush(c)
        else:
            self._begin_close(c, LIMIT_NOTICE)

    def _on_writable(self, c):
        self._flush(c)

    def _sweep(self, now):
        idle = IDLE_TIMEOUT_MS / 1000.0 if IDLE_TIMEOUT_MS > 0 else None
        for c in list(self.conns.values()):
            if c.state == OPEN:
                if idle is not None and now - c.last_rx >= idle:
                    if c.out:
                        self._close(c)
                    else:
                        self._begin_close(c)   # nothing sent, FIN, close
            elif c.deadline is not None and now >= c.deadline:
                self._close(c)

    # ---- main loop ----------------------------------------------------------
    def serve(self):
        while True:
            now = time.monotonic()
            timeout = max(0.0, self.next_sweep - now)
            try:
                events = self.sel.select(timeout)
            except InterruptedError:
                events = []
            for key, mask in events:
                if key.fileobj is self.listener:
                    self._accept()
                    continue
                c = key.data
                if c is None or self.conns.get(c.sock.fileno()) is not c:
                    continue
                if mask & selectors.EVENT_WRITE:
                    self._on_writable(c)
                if mask & selectors.EVENT_READ and self.conns.get(c.sock.fileno()) is c:
                    self._on_readable(c)
            now = time.monotonic()
            if now >= self.next_sweep:
                self._sweep(now)
                self.next_sweep = now + SWEEP_INTERVAL

    def shutdown(self):
        for c in list(self.conns.values()):
            try:
                c.sock.close()
            except OSError:
                pass
        self.conns.clear()
        try:
            self.listener.close()
        except OSError:
            pass


def raise_fd_limit():
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = MAX_CONNECTIONS + MAX_DRAINING + 64
        if soft != resource.RLIM_INFINITY and soft < want:
            new = want if hard == resource.RLIM_INFINITY else min(want, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    except (ImportError, ValueError, OSError):
        pass


def main():
    def on_signal(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    except (AttributeError, ValueError):
        pass
    raise_fd_limit()
    server = Server()
    addr = server.listener.getsockname()
    print(f"capitalizer listening on {addr[0]}:{addr[1]} (TCP)", flush=True)
    try:
        server.serve()
    except SystemExit:
        pass
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
