#!/usr/bin/env python3
"""Status protocol server (HTTP/1.1).

Independent implementation written from docs/protocols/status.md only.
Python 3.11, standard library only (asyncio, raw HTTP/1.1 parsing).

Environment:
  HOST (default 127.0.0.1), PORT (default 65436)
  MIN_CODE (200), MAX_CODE (599), MAX_SLEEP_MS (10000)

Choices where the doc is silent are listed in the accompanying report; in short:
  * the reason-phrase table (spec/status/reason-phrases.json) is embedded, not read
    at start (the server runs in a temporary folder); a code is answered when it is
    in that table and from MIN_CODE to MAX_CODE, so its 1xx entries are refused;
  * GET / (and HEAD /) answers 200 with the `index` text;
  * the path's first segment (after `/`, up to the next `/`) must be ASCII digits
    only; its value (leading zeros allowed) is the code; whatever follows a `/`
    after it (`/200/`, `/418/tea/pot`) is ignored (STATUS-PATH-SUFFIX); a first
    segment that is empty (`//200`) or not digits is refused; `{requested}` is
    that first segment as sent (the suffix left out), or the whole path without
    its leading `/` when the first segment is empty;
  * query parameters other than `sleep` are ignored; an empty, repeated or
    non-digit sleep is a bad sleep; a bad code is reported before a bad sleep;
  * 400 and 405 bodies are always text/plain, whatever the Accept header;
  * 204, 205 and 304 keep the negotiated Content-Type header but carry no body
    (204 and 304 no Content-Length, 205 `Content-Length: 0`);
  * an echoed 405 carries `Allow: GET, HEAD` too (RFC 9110 MUST);
  * echoed 401 / 407 carry WWW-Authenticate / Proxy-Authenticate
    `Basic realm="Fake Realm"`, and echoed 301, 429 and 503 `Retry-After: 5`
    (HEAD as GET); no other answer carries Retry-After;
  * a Transfer-Encoding whose last coding is not `chunked` (or is empty) is
    answered 400 with the `unframedBody` problem and the connection closed,
    before the method or path is looked at; other malformed framing
    (a bad Content-Length, a bad request line) gets a 400 of its own wording;
  * a request with a body (Content-Length > 0 or Transfer-Encoding) is answered
    and the connection then closed; Host is not required.
"""
import asyncio
import email.utils
import json
import os
import signal
import socket
import sys
import urllib.parse

DEFAULT_PORT = 65436

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
METHOD_NOT_ALLOWED = "405 Method Not Allowed: only GET and HEAD are answered"
ALLOWED_METHODS = "GET, HEAD"
REDIRECT_LOCATION = "/"
AUTHENTICATE_CHALLENGE = 'Basic realm="Fake Realm"'
RETRY_AFTER = "5"
RETRY_AFTER_CODES = (301, 429, 503)
UNFRAMED_BODY = "the body's length cannot be known: a Transfer-Encoding must end in chunked"
INDEX = ("sockspec status service: GET /<code> answers with that status (200 to 599), "
         "?sleep=<ms> delays the answer, Accept: application/json gives JSON")

# The reason-phrase table the doc names (spec/status/reason-phrases.json: httpstat.us's
# codes and descriptions, non-standard ones included), embedded so that the server needs
# no file at run time. Its 1xx codes lie below MIN_CODE, so they are refused.
REASONS = {
    100: "Continue",
    101: "Switching Protocols",
    102: "Processing",
    103: "Early Hints",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi-Status",
    208: "Already Reported",
    226: "IM Used",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    306: "Switch Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    415: "Unsupported Media Type",
    416: "Requested Range Not Satisfiable",
    417: "Expectation Failed",
    418: "I'm a teapot",
    419: "CSRF Token Missing or Expired",
    420: "Enhance Your Calm",
    421: "Misdirected Request",
    422: "Unprocessable Entity",
    423: "Locked",
    424: "Failed Dependency",
    425: "Too Early",
    426: "Upgrade Required",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    440: "Login Time-out",
    444: "No Response",
    449: "Retry With",
    450: "Blocked by Windows Parental Controls",
    451: "Unavailable For Legal Reasons",
    460: "Client closed the connection with AWS Elastic Load Balancer",
    463: "The load balancer received an X-Forwarded-For request header with more than 30 IP addresses",
    494: "Request header too large",
    495: "SSL Certificate Error",
    496: "SSL Certificate Required",
    497: "HTTP Request Sent to HTTPS Port",
    498: "Invalid Token (Esri)",
    499: "Client Closed Request",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    506: "Variant Also Negotiates",
    507: "Insufficient Storage",
    508: "Loop Detected",
    510: "Not Extended",
    511: "Network Authentication Required",
    520: "Web Server Returned an Unknown Error",
    521: "Web Server Is Down",
    522: "Connection Timed out",
    523: "Origin Is Unreachable",
    524: "A Timeout Occurred",
    525: "SSL Handshake Failed",
    526: "Invalid SSL Certificate",
    527: "Railgun Error",
    530: "Origin DNS Error",
    561: "Unauthorized (AWS Elastic Load Balancer)",
}
NO_BODY_CODES = (204, 205, 304)
# Redirects that carry Location, as on httpstat.us (not 300, 304 or 306).
LOCATION_CODES = (301, 302, 303, 305, 307, 308)


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        print(f"status: ignoring {name}={raw!r} (not an integer), using {default}",
              file=sys.stderr, flush=True)
        return default


HOST = os.environ.get("HOST") or "127.0.0.1"
PORT = env_int("PORT", DEFAULT_PORT)
MIN_CODE = env_int("MIN_CODE", 200)
MAX_CODE = env_int("MAX_CODE", 599)
MAX_SLEEP_MS = max(0, env_int("MAX_SLEEP_MS", 10000))

# Implementation bounds (not in the doc).
MAX_LINE = 8192                 # request line / one header line
MAX_HEADER_BYTES = 65536        # whole header section
MAX_HEADERS = 100
HEAD_TIMEOUT = 60.0             # to receive a whole request head (also keep-alive idle)
WRITE_TIMEOUT = 30.0            # for the client to take an answer
DRAIN_SECONDS = 1.0
DRAIN_MAX_BYTES = 1 << 20
MAX_LEADING_EMPTY_LINES = 8


def unsupported_code(requested):
    return (f"{requested} is not a status code this service answers; "
            f"ask for one from {MIN_CODE} to {MAX_CODE} that httpstat.us knows")


def bad_sleep():
    return f"sleep must be a whole number of milliseconds from 0 to {MAX_SLEEP_MS}"


def answers(code):
    return MIN_CODE <= code <= MAX_CODE and code in REASONS


# ---- content negotiation -----------------------------------------------------
def parse_accept(values):
    """Return {media range: q} for the Accept header values; malformed elements
    are skipped; if a range appears twice its highest q counts."""
    ranges = {}
    for value in values:
        for element in value.split(","):
            parts = element.split(";")
            media = parts[0].strip().lower()
            if not media:
                continue
            if media == "*":
                media = "*/*"
            if media.count("/") != 1:
                continue
            mtype, msub = media.split("/")
            if not mtype or not msub or (mtype == "*" and msub != "*"):
                continue
            q = 1.0
            ok = True
            for param in parts[1:]:
                name, _, val = param.partition("=")
                if name.strip().lower() == "q":
                    try:
                        q = float(val.strip().strip('"'))
                    except ValueError:
                        ok = False
                        break
                    if not (0.0 <= q <= 1.0):
                        ok = False
                    break   # parameters after q are accept-extensions
            if not ok:
                continue
            ranges[media] = max(q, ranges.get(media, -1.0))
    return ranges


def wants_json(accept_values):
    if not accept_values:
        return False
    ranges = parse_accept(accept_values)
    if "application/json" in ranges:
        q_json = ranges["application/json"]
    elif "application/*" in ranges:
        q_json = ranges["application/*"]
    else:
        return False          # JSON must be named (application/json or application/*)
    if q_json <= 0:
        return False
    for r in ("text/plain", "text/*", "*/*"):
        if r in ranges:
            q_text = ranges[r]
            break
    else:
        q_text = 0.0
    return q_json >= q_text


# ---- responses -----------------------------------------------------------------
def build_response(code, reason, headers, body, head_only, keep_alive, version="HTTP/1.1"):
    lines = [f"{version} {code} {reason}"]
    lines.extend(f"{k}: {v}" for k, v in headers)
    lines.append("Date: " + email.utils.formatdate(usegmt=True))
    lines.append("Connection: " + ("keep-alive" if keep_alive else "close"))
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
    if head_only or body is None:
        return head
    return head + body


def code_answer(code, json_wanted, head_only, keep_alive):
    reason = REASONS[code]
    if json_wanted:
        ctype = JSON_CONTENT_TYPE
        body = json.dumps({"code": code, "description": reason}, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")
    else:
        ctype = TEXT_CONTENT_TYPE
        body = f"{code} {reason}".encode("utf-8")
    headers = [("Content-Type", ctype)]
    if code in NO_BODY_CODES:
        body = None
        if code == 205:
            headers.append(("Content-Length", "0"))
        # 204: Content-Length is forbidden; 304: left out
    else:
        headers.append(("Content-Length", str(len(body))))
    headers.append(("Vary", "Accept"))
    headers.append(("Cache-Control", "no-store"))
    headers.append(("X-Content-Type-Options", "nosniff"))
    if code in LOCATION_CODES:
        headers.append(("Location", REDIRECT_LOCATION))
    if code == 401:
        headers.append(("WWW-Authenticate", AUTHENTICATE_CHALLENGE))
    if code == 407:
        headers.append(("Proxy-Authenticate", AUTHENTICATE_CHALLENGE))
    if code == 405:
        headers.append(("Allow", ALLOWED_METHODS))
    if code in RETRY_AFTER_CODES:
        headers.append(("Retry-After", RETRY_AFTER))
    return build_response(code, reason, headers, body, head_only, keep_alive)


def text_answer(code, reason, text, head_only, keep_alive, extra=()):
    body = text.encode("utf-8")
    headers = [("Content-Type", TEXT_CONTENT_TYPE), ("Content-Length", str(len(body)))]
    headers.extend(extra)
    headers.append(("Cache-Control", "no-store"))
    headers.append(("X-Content-Type-Options", "nosniff"))
    return build_response(code, reason, headers, body, head_only, keep_alive)


def bad_request(problem, head_only, keep_alive):
    return text_answer(400, "Bad Request", f"400 Bad Request: {problem}", head_only, keep_alive)


# ---- request parsing ---------------------------------------------------------------
class ProtocolError(Exception):
    def __init__(self, code, reason, text):
        super().__init__(text)
        self.code, self.reason, self.text = code, reason, text


class ClientGone(Exception):
    pass


async def read_line(reader):
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as e:
        if e.partial:
            raise ProtocolError(400, "Bad Request", "400 Bad Request: incomplete request") from e
        raise ClientGone() from e
    except asyncio.LimitOverrunError as e:
        raise ProtocolError(431, "Request Header Fields Too Large",
                            "431 Request Header Fields Too Large") from e
    if line.endswith(b"\r\n"):
        return line[:-2]
    return line[:-1]


async def read_head(reader):
    """Return (method, target, version, headers[list of (lower name, value)])."""
    for _ in range(MAX_LEADING_EMPTY_LINES + 1):
        try:
            line = await read_line(reader)
        except ProtocolError as e:
            if e.code == 431:
                raise ProtocolError(414, "URI Too Long", "414 URI Too Long") from e
            raise
        if line:
            break
    else:
        raise ProtocolError(400, "Bad Request", "400 Bad Request: malformed request line")
    request_line = line.decode("latin-1")
    parts = request_line.split()
    if len(parts) != 3:
        raise ProtocolError(400, "Bad Request", "400 Bad Request: malformed request line")
    method, target, version = parts
    headers = []
    total = len(line)
    while True:
        try:
            line = await read_line(reader)
        except ClientGone as e:
            raise ProtocolError(400, "Bad Request", "400 Bad Request: incomplete request") from e
        if not line:
            break
        total += len(line) + 2
        if total > MAX_HEADER_BYTES or len(headers) >= MAX_HEADERS:
            raise ProtocolError(431, "Request Header Fields Too Large",
                                "431 Request Header Fields Too Large")
        if line[:1] in (b" ", b"\t"):
            raise ProtocolError(400, "Bad Request", "400 Bad Request: obsolete line folding")
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip() or b" " in name or b"\t" in name:
            raise ProtocolError(400, "Bad Request", "400 Bad Request: malformed header field")
        headers.append((name.decode("latin-1").lower(), value.strip(b" \t").decode("latin-1")))
    return method, target, version, headers


def parse_target(target):
    """Return (path, query) of an origin-form or absolute-form target; path may be None."""
    if target.startswith("/"):
        path, _, query = target.partition("?")
        return path, query
    if "://" in target:
        try:
            split = urllib.parse.urlsplit(target)
        except ValueError:
            return None, ""
        return (split.path or "/"), split.query
    return None, ""


def parse_sleep(query):
    """Return (present, ms or None when bad)."""
    values = []
    if query:
        for field in query.split("&"):
            name, sep, value = field.partition("=")
            try:
                name = urllib.parse.unquote_plus(name, errors="strict")
                value = urllib.parse.unquote_plus(value, errors="strict")
            except UnicodeDecodeError:
                continue
            if name == "sleep":
                values.append(value if sep else "")
    if not values:
        return False, 0
    if len(values) != 1:
        return True, None
    v = values[0]
    if not v or not v.isascii() or not v.isdigit():
        return True, None
    v = v.lstrip("0") or "0"
    if len(v) > len(str(MAX_SLEEP_MS)):
        return True, None
    ms = int(v)
    if ms > MAX_SLEEP_MS:
        return True, None
    return True, ms


def requested_text(raw_path):
    text = raw_path[1:] if raw_path.startswith("/") else raw_path
    # the request line was decoded as latin-1; show UTF-8 paths as sent
    try:
        return text.encode("latin-1").decode("utf-8", errors="replace")
    except UnicodeEncodeError:
        return text


# ---- connection handling ------------------------------------------------------------
class Handler:
    def __init__(self, server_state):
        self.state = server_state

    async def __call__(self, reader, writer):
        self.state.writers.add(writer)
        try:
            await self.serve(reader, writer)
        except (ConnectionError, ClientGone, asyncio.TimeoutError, OSError):
            pass
        except asyncio.CancelledError:
            raise
        except Exception as e:  # never let one connection take the server down
            print(f"status: internal error: {e!r}", file=sys.stderr, flush=True)
        finally:
            self.state.writers.discard(writer)
            try:
                writer.close()
            except Exception:
                pass

    async def send(self, writer, data):
        writer.write(data)
        await asyncio.wait_for(writer.drain(), WRITE_TIMEOUT)

    async def close_gracefully(self, reader, writer):
        """FIN first, then discard what the client still sends, so our answer is not
        destroyed by a reset when unread bytes remain."""
        try:
            if writer.can_write_eof():
                writer.write_eof()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + DRAIN_SECONDS
            drained = 0
            while drained <= DRAIN_MAX_BYTES:
                left = deadline - loop.time()
                if left <= 0:
                    break
                chunk = await asyncio.wait_for(reader.read(65536), left)
                if not chunk:
                    break
                drained += len(chunk)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass

    async def serve(self, reader, writer):
        loop = asyncio.get_running_loop()
        while True:
            try:
                method, target, version, headers = await asyncio.wait_for(read_head(reader),
                                                                          HEAD_TIMEOUT)
            except ClientGone:
                return
            except asyncio.TimeoutError:
                return
            except ProtocolError as e:
                await self.send(writer, text_answer(e.code, e.reason, e.text, False, False))
                await self.close_gracefully(reader, writer)
                return
            received_at = loop.time()

            # HTTP version
            if not version.startswith("HTTP/") or len(version) != 8 or version[6] != "." \
                    or not version[5].isdigit() or not version[7].isdigit():
                await self.send(writer, text_answer(400, "Bad Request",
                                                    "400 Bad Request: malformed HTTP version",
                                                    False, False))
                await self.close_gracefully(reader, writer)
                return
            if version[5] != "1":
                await self.send(writer, text_answer(505, "HTTP Version Not Supported",
                                                    "505 HTTP Version Not Supported",
                                                    False, False))
                await self.close_gracefully(reader, writer)
                return

            conn_tokens = set()
            accept_values = []
            content_length = None
            has_te = False
            te_codings = []
            bad_cl = False
            for name, value in headers:
                if name == "connection":
                    conn_tokens.update(t.strip().lower() for t in value.split(","))
                elif name == "accept":
                    accept_values.append(value)
                elif name == "transfer-encoding":
                    has_te = True
                    te_codings.extend(t.split(";")[0].strip().lower() for t in value.split(","))
                elif name == "content-length":
                    for v in value.split(","):
                        v = v.strip()
                        if not v.isascii() or not v.isdigit() or \
                                (content_length is not None and int(v) != content_length):
                            bad_cl = True
                        else:
                            content_length = int(v)
            if bad_cl:
                await self.send(writer, text_answer(400, "Bad Request",
                                                    "400 Bad Request: bad Content-Length",
                                                    False, False))
                await self.close_gracefully(reader, writer)
                return
            te_codings = [t for t in te_codings if t]
            if has_te and (not te_codings or te_codings[-1] != "chunked"):
                await self.send(writer, text_answer(400, "Bad Request",
                                                    f"400 Bad Request: {UNFRAMED_BODY}",
                                                    False, False))
                await self.close_gracefully(reader, writer)
                return
            has_body = has_te or (content_length or 0) > 0
            if version == "HTTP/1.0":
                keep_alive = "keep-alive" in conn_tokens and "close" not in conn_tokens
            else:
                keep_alive = "close" not in conn_tokens
            if has_body:
                keep_alive = False   # we do not read request bodies

            head_only = method == "HEAD"
            response = await self.respond(method, target, accept_values, head_only, keep_alive,
                                          received_at)
            await self.send(writer, response)
            if not keep_alive:
                await self.close_gracefully(reader, writer)
                return

    async def respond(self, method, target, accept_values, head_only, keep_alive, received_at):
        if method not in ("GET", "HEAD"):
            return text_answer(405, "Method Not Allowed", METHOD_NOT_ALLOWED, False, keep_alive,
                               extra=[("Allow", ALLOWED_METHODS)])
        path, query = parse_target(target)
        if path is None:
            return bad_request(unsupported_code(requested_text(target)), head_only, keep_alive)
        if path == "/":
            return text_answer(200, "OK", INDEX, head_only, keep_alive)
        digits = path[1:].split("/", 1)[0]   # first segment; a /<anything> suffix is ignored
        code = None
        if digits and digits.isascii() and digits.isdigit():
            stripped = digits.lstrip("0") or "0"
            if len(stripped) <= 3:
                code = int(stripped)
        if code is None or not answers(code):
            requested = digits or path   # an empty first segment (`//200`): show the path
            return bad_request(unsupported_code(requested_text(requested)), head_only, keep_alive)
        present, ms = parse_sleep(query)
        if present and ms is None:
            return bad_request(bad_sleep(), head_only, keep_alive)
        if present and ms > 0:
            loop = asyncio.get_running_loop()
            until = received_at + ms / 1000.0
            while True:
                left = until - loop.time()
                if left <= 0:
                    break
                await asyncio.sleep(left + 0.0005)
        return code_answer(code, wants_json(accept_values), head_only, keep_alive)


class ServerState:
    def __init__(self):
        self.writers = set()


def raise_fd_limit():
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
            target = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
            if target > soft:
                resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ImportError, ValueError, OSError):
        pass


async def main():
    raise_fd_limit()
    state = ServerState()
    handler = Handler(state)
    server = await asyncio.start_server(handler, host=HOST, port=PORT, limit=MAX_LINE,
                                        reuse_address=True, backlog=max(socket.SOMAXCONN, 128))
    addrs = ", ".join(f"{s.getsockname()[0]}:{s.getsockname()[1]}" for s in server.sockets)
    print(f"status listening on {addrs} (HTTP)", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(quiet_exception_handler)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    # Exit at once: stop listening, drop every connection (sleeping ones included).
    server.close()
    for w in list(state.writers):
        try:
            w.transport.abort()
        except Exception:
            pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def quiet_exception_handler(loop, context):
    exc = context.get("exception")
    if isinstance(exc, (asyncio.CancelledError, ConnectionError, OSError)):
        return
    print(f"status: {context.get('message', 'error')}: {exc!r}"[:500], file=sys.stderr, flush=True)

if __name__ == "__main__":
    asyncio.run(main())
