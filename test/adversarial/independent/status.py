#!/usr/bin/env python3
"""Status protocol server (HTTP/1.1): a local stand-in for httpstat.us.

Independent implementation written from docs/protocols/status.md only (and the
reason-phrase table it names, protocols/status/spec/reason-phrases.json, embedded below).
Python 3.11, standard library only (asyncio, raw HTTP/1.1 parsing).

Environment: HOST (default 127.0.0.1), PORT (default 65436). The protocol's limits
(codes 200 to 599, sleep at most 30000 ms, at most 1000000 random choices) are not
configurable: the doc says the checks expect them.

What the server does, in short:
  * /<code> and /<code>/<anything> answer with that status, for any code from 200 to
    599; a code the table does not know gets the reason phrase `<code> Unknown Code`.
    The code is the first path segment, percent-decoded, read as a 32-bit integer
    (ASCII digits, an optional `+` or `-`, leading zeros allowed, optionally surrounded
    by ASCII whitespace: space, TAB, LF, VT, FF, CR); an integer outside 200..599 gets
    400 (unsupportedCode), a segment that is no such integer 404 (notFound).
  * / answers 200 with the `index` text; /random/<range> and /random/<range>/<anything>
    (`random` in any case) answer as /<code> for a code drawn uniformly from the
    expanded range, a bad range gets 400 (badRange); an empty range (/random/,
    /random//200), like /random itself, names no code: 404 (notFound). The range is
    read percent-decoded: a comma-separated list of codes and ranges `A-B` (A not
    above B), each code ASCII digits (no sign) with optional ASCII whitespace around
    it, at most 1000000 codes in all; sleep and suppressBody work there as on /<code>.
  * GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS and TRACE are all answered as GET
    (HEAD without a body); any other method gets 405 with Allow. An OPTIONS request
    with Origin and Access-Control-Request-Method is a CORS preflight: 204.
  * ?sleep=<ms> (or the X-HttpStatus-Sleep header when the query has no sleep) delays
    the answer; ?suppressBody=true (or the X-HttpStatus-SuppressBody header) drops the
    body and its Content-Type; X-HttpStatus-Response-<Name> headers are copied.
    Query parameter names are matched in any case, a parameter with an empty value
    counts as absent (so the header applies), one named more than once (in whatever
    cases and whatever its values, empty ones too: `?sleep=&sleep=` is 400) cannot be
    read (400 for sleep and suppressBody), and the query is decoded as form data
    (percent-decoded, `+` is a space). A sleep is read like a code (surrounding ASCII
    whitespace allowed, so `?sleep=+50` is 50); true and false (suppressBody, query or
    header) are matched in any ASCII case, with the same ASCII whitespace allowed
    around them (`?suppressBody=+false` is false); other text, Unicode whitespace
    around them included, is neither (400 in the query, ignored in the header).
  * 204, 205 and 304 answers carry neither a body nor a Content-Type; HEAD answers
    carry no body.
  * Refusals (400, 404, 405) are sent at once, whatever sleep is asked for, and
    without the headers asked for with X-HttpStatus-Response-<Name>; the path is
    judged before the query and headers (`/teapot?sleep=x` is 404).
  * A request with an Origin header gets Access-Control-Allow-Origin and
    Access-Control-Expose-Headers on every answer.

Choices where the doc is silent:
  * the first path segment is percent-decoded (as STATUS-CODE-FORMAT says), and so is
    the rest of the path after a first segment that decodes to `random` in any ASCII
    case (`/%72andom/200` and `/RANDOM/200` are /random/200; a non-ASCII look-alike
    such as a dotless i is not, so that segment is a 404); bytes that are not UTF-8
    once decoded (path or query) become U+FFFD (so `?sleep=%FF` is a bad sleep); a
    name is compared in ASCII case only (`SLEEP` is sleep, a non-ASCII look-alike is
    not); the unsupportedCode text names the integer as written, without the
    surrounding whitespace;
  * a random range's codes are each at most 2147483647 (as an integer is read), leading
    zeros allowed; whitespace may stand on either side of the `-` of `A-B` (it
    surrounds a code); an empty entry, `A-B` with A above B, or more than 1000000
    codes in all is a bad range; the range is the path segment after /random/ (up to
    the next `/`, whatever follows it ignored), percent-decoded only once split off (so
    /random/200/x is /random/200, but /random/200%2F is a bad range); a drawn code
    outside 200..599 gets the unsupportedCode 400;
  * checks are made in this order: method (405), preflight, path (404), code or range
    (400), sleep (400), suppressBody (400); the 400, 404 and 405 answers are sent at
    once (no sleep) and are always text/plain, whatever the Accept header;
  * response headers are copied into code answers only (not into 400/404/405, the
    index or a preflight); a copied header replaces the answer's own header of that
    name, except WWW-Authenticate, Proxy-Authenticate, Allow and the CORS headers,
    which the rules require with fixed values: a copy of those is sent beside them;
  * the sleep and suppressBody headers are used only when each is sent once; a sleep
    header value that is not an integer (or is outside the 32-bit range) is ignored;
  * 204 and 304 carry no Content-Length, 205 `Content-Length: 0`; a suppressed body
    is sent as `Content-Length: 0`;
  * an echoed 405 carries Allow too (RFC 9110 MUST); the preflight answer carries
    Access-Control-Expose-Headers too (STATUS-CORS covers every request with Origin);
  * request bodies (Content-Length or chunked) are read and discarded before the
    answer, so the sleep starts at the end of the body; `Expect: 100-continue` gets a
    100 Continue first;
  * a Transfer-Encoding whose last coding is not `chunked` (or is empty) is answered
    400 with the `unframedBody` problem and the connection closed, before the method
    or path is looked at; other malformed framing (a bad Content-Length, a bad chunk,
    a bad request line) gets a 400 of its own wording; Host is not required.
"""
import asyncio
import email.utils
import json
import os
import random
import re
import signal
import socket
import sys
import urllib.parse

DEFAULT_PORT = 65436

# ---- protocol constants and wire texts (docs/protocols/status.md) ------------------
MIN_CODE = 200
MAX_CODE = 599
MAX_SLEEP_MS = 30000
MAX_RANDOM_CHOICES = 1000000
INT32_MIN, INT32_MAX = -2147483648, 2147483647

TEXT_CONTENT_TYPE = "text/plain"
JSON_CONTENT_TYPE = "application/json"
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")
ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE"
METHOD_NOT_ALLOWED = ("405 Method Not Allowed: the methods answered are "
                      "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS and TRACE")
REDIRECT_LOCATION = "/"
AUTHENTICATE_CHALLENGE = 'Basic realm="Fake Realm"'
RETRY_AFTER = "5"
UNFRAMED_BODY = "the body's length cannot be known: a Transfer-Encoding must end in chunked"
BAD_SUPPRESS_BODY = "suppressBody must be true or false"
BAD_SLEEP = f"sleep must be a whole number of milliseconds, at most {MAX_SLEEP_MS}"
BAD_RANGE = ("a random range is a comma-separated list of codes and ranges of codes "
             f"(200,201-204) holding at most {MAX_RANDOM_CHOICES} codes")
INDEX = ("sockspec status service, a local httpstat.us: /<code> answers with that status "
         "(200 to 599), ?sleep=<ms> delays the answer, ?suppressBody=true drops its body, "
         "X-HttpStatus-Response-<Name> request headers add <Name> to it, /random/<range> "
         "draws the code, Accept: application/json gives JSON")
SLEEP_HEADER = "x-httpstatus-sleep"                 # request header names, lower case
SUPPRESS_BODY_HEADER = "x-httpstatus-suppressbody"
RESPONSE_HEADER_PREFIX = "x-httpstatus-response-"
UNCOPIED_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive",
                    "upgrade", "trailer", "te", "content-type"}
CORS_ALLOW_ORIGIN = "*"
CORS_EXPOSE_HEADERS = "Link,Content-Range,Location,WWW-Authenticate,Proxy-Authenticate,Retry-After"

NO_BODY_CODES = (204, 205, 304)
# Redirects that carry Location, as on httpstat.us (not 300, 304 or 306).
LOCATION_CODES = (301, 302, 303, 305, 307, 308)
RETRY_AFTER_CODES = (301, 429, 503)
# Headers the rules give fixed values: a copied one is sent beside them, not instead.
KEPT_HEADERS = {"www-authenticate", "proxy-authenticate", "allow",
                "access-control-allow-origin", "access-control-expose-headers"}


def unsupported_code(requested):
    return (f"{requested} is not a status code this service answers; "
            f"ask for one from {MIN_CODE} to {MAX_CODE}")


def not_found(requested):
    return f"404 Not Found: {requested} is not a status code; ask for /<code>, for instance /200"


# The reason-phrase table the doc names (protocols/status/spec/reason-phrases.json: httpstat.us's
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


def describe(code):
    """The reason phrase of a code from MIN_CODE to MAX_CODE."""
    return REASONS.get(code) or f"{code} Unknown Code"


# Implementation bounds (not in the doc).
MAX_LINE = 8192                 # request line / one header line / one chunk-size line
MAX_HEADER_BYTES = 65536        # whole header section
MAX_HEADERS = 100
HEAD_TIMEOUT = 60.0             # to receive a whole request head (also keep-alive idle)
BODY_TIMEOUT = 60.0             # to receive a whole request body
WRITE_TIMEOUT = 30.0            # for the client to take an answer
DRAIN_SECONDS = 1.0
DRAIN_MAX_BYTES = 1 << 20
MAX_LEADING_EMPTY_LINES = 8


# ---- small parsers ---------------------------------------------------------------------
# STATUS-CODE-FORMAT: ASCII digits, optionally led by `+` or `-`, optionally surrounded
# by ASCII whitespace (space, TAB, LF, VT, FF, CR); nothing else (no `_`, no Unicode digits).
ASCII_WHITESPACE = " \t\n\x0b\x0c\r"
INTEGER = re.compile(r"[ \t\n\x0b\x0c\r]*[+-]?[0-9]+[ \t\n\x0b\x0c\r]*\Z")
DIGITS = re.compile(r"[0-9]+\Z")
# STATUS-RANDOM: a code of a range is ASCII digits (no sign), with ASCII whitespace around.
RANGE_CODE = re.compile(r"[ \t\n\x0b\x0c\r]*[0-9]+[ \t\n\x0b\x0c\r]*\Z")


def parse_int32(text, pattern=INTEGER):
    """The value of an integer in the 32-bit range written as `pattern` allows
    (by default STATUS-CODE-FORMAT's: ASCII digits, an optional sign, surrounding
    ASCII whitespace), else None."""
    if not pattern.match(text):
        return None
    text = text.strip(ASCII_WHITESPACE)
    if len(text.lstrip("+-").lstrip("0")) > 10:   # avoid huge int() conversions
        return None
    value = int(text)
    return value if INT32_MIN <= value <= INT32_MAX else None


def parse_query(query):
    """{lower-case name: [values]} of a query string decoded as form data (names and
    values percent-decoded, `+` a space; bytes that are not UTF-8 become U+FFFD); names
    in any case (ASCII). Every field is kept, empty values included, so that a name
    given more than once can be told from one given once."""
    params = {}
    for field in query.split("&") if query else ():
        if field == "":
            continue
        name, _, value = field.partition("=")
        name = urllib.parse.unquote_plus(name, errors="replace")
        value = urllib.parse.unquote_plus(value, errors="replace")
        if name.isascii():
            name = name.lower()
        params.setdefault(name, []).append(value)
    return params


ABSENT, UNREADABLE = object(), object()


def query_value(params, name):
    """The value of a query parameter, ABSENT (not given, or given once with an empty
    value) or UNREADABLE (named more than once, in whatever cases)."""
    values = params.get(name)
    if not values or values == [""]:
        return ABSENT
    if len(values) > 1:
        return UNREADABLE
    return values[0]


def parse_sleep(params, headers):
    """(ok, ms): the sleep the request asks for (0 when none); ok False for a bad one."""
    value = query_value(params, "sleep")
    if value is UNREADABLE:
        return False, 0
    if value is not ABSENT:
        ms = parse_int32(value)
        if ms is None:
            return False, 0
    else:
        header = headers.get(SLEEP_HEADER, [])
        ms = parse_int32(header[0]) if len(header) == 1 else None
        if ms is None:           # no header, or not such an integer: ignored
            return True, 0
    if ms > MAX_SLEEP_MS:
        return False, 0
    return True, max(ms, 0)


def parse_suppress_body(params, headers):
    """(ok, suppress)."""
    value = query_value(params, "suppressbody")
    if value is UNREADABLE:
        return False, False
    if value is not ABSENT:
        flag = parse_bool(value)
        if flag is None:
            return False, False
        return True, flag
    header = headers.get(SUPPRESS_BODY_HEADER, [])
    return True, len(header) == 1 and parse_bool(header[0]) is True


def parse_bool(text):
    """True or False for `true` or `false` (ASCII case-insensitive, optionally surrounded
    by the ASCII whitespace an integer may have), else None."""
    word = text.strip(ASCII_WHITESPACE)
    if not word.isascii():
        return None
    word = word.lower()
    return True if word == "true" else False if word == "false" else None


def parse_range(text):
    """[(low, high), ...] of a random range, or None when it is not a good one."""
    entries = []
    total = 0
    for item in text.split(","):
        low_text, dash, high_text = item.partition("-")
        low = parse_int32(low_text, RANGE_CODE)
        high = parse_int32(high_text, RANGE_CODE) if dash else low
        if low is None or high is None or low > high:
            return None
        total += high - low + 1
        if total > MAX_RANDOM_CHOICES:
            return None
        entries.append((low, high))
    return entries


def draw(entries):
    """A code from the expanded list, each entry of it as likely as any other."""
    index = random.randrange(sum(high - low + 1 for low, high in entries))
    for low, high in entries:
        if index <= high - low:
            return low + index
        index -= high - low + 1
    raise AssertionError("unreachable")


# ---- content negotiation -------------------------------------------------------------
QVALUE = re.compile(r"(0(\.[0-9]{0,3})?|1(\.0{0,3})?)\Z")


def parse_accept(values):
    """Return {media range: q} for the Accept header values; malformed elements
    are skipped; if a range appears twice its highest q counts."""
    ranges = {}
    for value in values:
        for element in value.split(","):
            parts = element.split(";")
            media = parts[0].strip().lower()
            if media == "*":
                media = "*/*"
            mtype, slash, msub = media.partition("/")
            if not slash or not mtype or not msub or "/" in msub \
                    or (mtype == "*" and msub != "*"):
                continue
            q = 1.0
            for param in parts[1:]:
                name, _, val = param.partition("=")
                if name.strip().lower() == "q":
                    val = val.strip()
                    q = float(val) if QVALUE.match(val) else None
                    break   # parameters after q are accept-extensions
            if q is None:
                continue
            ranges[media] = max(q, ranges.get(media, -1.0))
    return ranges


def wants_json(accept_values):
    """STATUS-JSON-BODY: application/json (or else application/*) named with a q above 0
    and not below text/plain's (through text/plain, else text/*, else */*)."""
    ranges = parse_accept(accept_values)
    q_json = ranges.get("application/json", ranges.get("application/*"))
    if q_json is None or q_json <= 0:
        return False
    q_text = next((ranges[r] for r in ("text/plain", "text/*", "*/*") if r in ranges), 0.0)
    return q_json >= q_text


# ---- answers ---------------------------------------------------------------------------
class Answer:
    """A response: status, headers (other than framing ones) and body. body None means
    the status forbids a body; the Content-Length is worked out when it is encoded."""

    def __init__(self, code, reason, body=b"", content_type=None):
        self.code, self.reason, self.body = code, reason, body
        self.headers = []
        if content_type:
            self.headers.append(("Content-Type", content_type))
        self.headers.append(("Date", email.utils.formatdate(usegmt=True)))

    def add(self, name, value):
        self.headers.append((name, value))

    def remove(self, name):
        self.headers = [(n, v) for n, v in self.headers if n.lower() != name.lower()]

    def encode(self, head_only, keep_alive):
        lines = [f"HTTP/1.1 {self.code} {self.reason}"]
        lines.extend(f"{name}: {value}" for name, value in self.headers)
        if self.body is not None:
            lines.append(f"Content-Length: {len(self.body)}")
        elif self.code == 205:
            lines.append("Content-Length: 0")
        # 204: Content-Length is forbidden; 304: left out
        lines.append("Connection: " + ("keep-alive" if keep_alive else "close"))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
        if head_only or not self.body:
            return head
        return head + self.body


def text_answer(code, reason, text):
    return Answer(code, reason, text.encode("utf-8"), TEXT_CONTENT_TYPE)


def bad_request(problem):
    return text_answer(400, "Bad Request", f"400 Bad Request: {problem}")


def code_answer(code, json_wanted, suppress_body):
    """The answer to GET /<code> for a code from MIN_CODE to MAX_CODE."""
    description = describe(code)
    if json_wanted:
        content_type = JSON_CONTENT_TYPE
        body = json.dumps({"code": code, "description": description}, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")
    else:
        content_type = TEXT_CONTENT_TYPE
        body = f"{code} {description}".encode("utf-8")
    if suppress_body:
        content_type, body = None, b""
    if code in NO_BODY_CODES:       # STATUS-NO-BODY: no body, so no Content-Type either
        content_type, body = None, None
    answer = Answer(code, description, body, content_type)
    answer.add("Vary", "Accept")
    if code in LOCATION_CODES:
        answer.add("Location", REDIRECT_LOCATION)
    if code == 401:
        answer.add("WWW-Authenticate", AUTHENTICATE_CHALLENGE)
    if code == 407:
        answer.add("Proxy-Authenticate", AUTHENTICATE_CHALLENGE)
    if code == 405:
        answer.add("Allow", ALLOWED_METHODS)
    if code in RETRY_AFTER_CODES:
        answer.add("Retry-After", RETRY_AFTER)
    return answer


def copy_response_headers(answer, raw_headers):
    """STATUS-RESPONSE-HEADERS: each X-HttpStatus-Response-<Name> request header becomes
    <Name> in the answer, except the framing ones; a copy replaces the answer's own."""
    replaced = set()
    for name, value in raw_headers:
        if not name.lower().startswith(RESPONSE_HEADER_PREFIX):
            continue
        target = name[len(RESPONSE_HEADER_PREFIX):]
        key = target.lower()
        if not target or key in UNCOPIED_HEADERS:
            continue
        if key not in KEPT_HEADERS and key not in replaced:
            answer.remove(target)
            replaced.add(key)
        answer.add(target, value)


def preflight_answer(headers):
    """STATUS-CORS-PREFLIGHT: 204, no body, the requested method and headers allowed."""
    answer = Answer(204, "No Content", None)
    answer.add("Access-Control-Allow-Methods", ", ".join(headers["access-control-request-method"]))
    if "access-control-request-headers" in headers:
        answer.add("Access-Control-Allow-Headers",
                   ", ".join(headers["access-control-request-headers"]))
    return answer


# ---- request parsing -------------------------------------------------------------------
class ProtocolError(Exception):
    def __init__(self, code, reason, text):
        super().__init__(text)
        self.code, self.reason, self.text = code, reason, text


def bad_framing(problem):
    return ProtocolError(400, "Bad Request", f"400 Bad Request: {problem}")


class ClientGone(Exception):
    pass


class Request:
    def __init__(self, method, target, version, raw_headers):
        self.method, self.target, self.version = method, target, version
        self.raw_headers = raw_headers          # [(name as sent, value)]
        self.headers = {}                       # {lower-case name: [values]}
        for name, value in raw_headers:
            self.headers.setdefault(name.lower(), []).append(value)


async def read_line(reader):
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as e:
        if e.partial:
            raise bad_framing("incomplete request") from e
        raise ClientGone() from e
    except asyncio.LimitOverrunError as e:
        raise ProtocolError(431, "Request Header Fields Too Large",
                            "431 Request Header Fields Too Large") from e
    if line.endswith(b"\r\n"):
        return line[:-2]
    return line[:-1]


async def read_head(reader):
    """Return a Request (its body not read yet)."""
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
        raise bad_framing("malformed request line")
    parts = line.decode("latin-1").split()
    if len(parts) != 3:
        raise bad_framing("malformed request line")
    method, target, version = parts
    headers = []
    total = len(line)
    while True:
        try:
            line = await read_line(reader)
        except ClientGone as e:
            raise bad_framing("incomplete request") from e
        if not line:
            break
        total += len(line) + 2
        if total > MAX_HEADER_BYTES or len(headers) >= MAX_HEADERS:
            raise ProtocolError(431, "Request Header Fields Too Large",
                                "431 Request Header Fields Too Large")
        if line[:1] in (b" ", b"\t"):
            raise bad_framing("obsolete line folding")
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip() or b" " in name or b"\t" in name:
            raise bad_framing("malformed header field")
        headers.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
    return Request(method, target, version, headers)


async def skip_bytes(reader, count):
    try:
        while count > 0:
            chunk = await reader.readexactly(min(count, 65536))
            count -= len(chunk)
    except asyncio.IncompleteReadError as e:
        raise ClientGone() from e


async def read_body(reader, content_length, chunked):
    """Read and discard a request body."""
    if not chunked:
        await skip_bytes(reader, content_length)
        return
    while True:
        try:
            size_line = await read_line(reader)
        except ProtocolError as e:
            raise bad_framing("malformed chunk") from e
        size_text = size_line.split(b";", 1)[0].strip(b" \t")
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            raise bad_framing("malformed chunk")
        size = int(size_text, 16)
        if size == 0:
            break
        await skip_bytes(reader, size)
        if await read_line(reader) != b"":
            raise bad_framing("malformed chunk")
    while await read_line(reader) != b"":     # trailer section
        pass


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


def as_sent(text):
    # the request line was decoded as latin-1; show UTF-8 paths as sent
    try:
        return text.encode("latin-1").decode("utf-8", errors="replace")
    except UnicodeEncodeError:
        return text


# ---- answering a request -----------------------------------------------------------------
async def sleep_until(until):
    loop = asyncio.get_running_loop()
    while True:
        left = until - loop.time()
        if left <= 0:
            return
        await asyncio.sleep(left + 0.0005)


async def answer_request(request, received_at):
    headers = request.headers
    if request.method not in METHODS:
        answer = text_answer(405, "Method Not Allowed", METHOD_NOT_ALLOWED)
        answer.add("Allow", ALLOWED_METHODS)
    elif request.method == "OPTIONS" and "origin" in headers \
            and "access-control-request-method" in headers:
        answer = preflight_answer(headers)
    else:
        answer = await answer_target(request, received_at)
    if "origin" in headers:
        answer.add("Access-Control-Allow-Origin", CORS_ALLOW_ORIGIN)
        answer.add("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS)
    return answer


async def answer_target(request, received_at):
    """The answer to GET of the request's target (any method answered is answered so)."""
    path, query = parse_target(request.target)
    if path is None:
        return text_answer(404, "Not Found", not_found(as_sent(request.target)))
    if path == "/":
        return text_answer(200, "OK", INDEX)
    first, slash, rest = path[1:].partition("/")  # a /<anything> suffix is ignored
    # STATUS-CODE-FORMAT: the segment is read once percent-decoded
    decoded = urllib.parse.unquote(first, errors="replace")
    if decoded.isascii() and decoded.lower() == "random" and slash:
        # STATUS-RANDOM: `random` in any (ASCII) case; the range is the next path
        # segment, read percent-decoded; STATUS-PATH-SUFFIX: a /<anything> after it
        # is ignored
        range_segment = rest.partition("/")[0]
        if range_segment == "":
            # STATUS-NOT-FOUND: /random/ and /random//200 have an empty range and name
            # no code: 404, as /random does
            return text_answer(404, "Not Found", not_found(as_sent(path[1:])))
        entries = parse_range(urllib.parse.unquote(range_segment, errors="replace"))
        if entries is None:
            return bad_request(BAD_RANGE)
        code, requested = draw(entries), None
    else:
        code = parse_int32(decoded)
        if code is None:
            return text_answer(404, "Not Found", not_found(as_sent(path[1:])))
        requested = decoded.strip(ASCII_WHITESPACE)     # the integer as written
    if not MIN_CODE <= code <= MAX_CODE:
        return bad_request(unsupported_code(requested or str(code)))
    params = parse_query(query)
    ok, sleep_ms = parse_sleep(params, request.headers)
    if not ok:
        return bad_request(BAD_SLEEP)
    ok, suppress_body = parse_suppress_body(params, request.headers)
    if not ok:
        return bad_request(BAD_SUPPRESS_BODY)
    if sleep_ms > 0:
        await sleep_until(received_at + sleep_ms / 1000.0)
    answer = code_answer(code, wants_json(request.headers.get("accept", [])), suppress_body)
    copy_response_headers(answer, request.raw_headers)
    return answer


# ---- connection handling ------------------------------------------------------------------
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

    async def refuse(self, reader, writer, answer, request=None):
        """Send an answer to a request that cannot be read on, then close."""
        if request is not None and "origin" in request.headers:
            answer.add("Access-Control-Allow-Origin", CORS_ALLOW_ORIGIN)
            answer.add("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS)
        await self.send(writer, answer.encode(False, False))
        await self.close_gracefully(reader, writer)

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
                request = await asyncio.wait_for(read_head(reader), HEAD_TIMEOUT)
            except (ClientGone, asyncio.TimeoutError):
                return
            except ProtocolError as e:
                return await self.refuse(reader, writer, text_answer(e.code, e.reason, e.text))

            version = request.version
            if not re.fullmatch(r"HTTP/[0-9]\.[0-9]", version):
                return await self.refuse(reader, writer,
                                         bad_request("malformed HTTP version"), request)
            if version[5] != "1":
                return await self.refuse(reader, writer, text_answer(
                    505, "HTTP Version Not Supported", "505 HTTP Version Not Supported"),
                    request)

            headers = request.headers
            conn_tokens = {t.strip().lower() for v in headers.get("connection", [])
                           for t in v.split(",")}
            te_codings = [t.split(";")[0].strip().lower()
                          for v in headers.get("transfer-encoding", []) for t in v.split(",")]
            te_codings = [t for t in te_codings if t]
            content_length = None
            for value in headers.get("content-length", []):
                for v in value.split(","):
                    v = v.strip()
                    if not DIGITS.match(v) or (content_length is not None
                                               and int(v) != content_length):
                        return await self.refuse(reader, writer,
                                                 bad_request("bad Content-Length"), request)
                    content_length = int(v)
            chunked = "transfer-encoding" in headers
            if chunked and (not te_codings or te_codings[-1] != "chunked"):
                return await self.refuse(reader, writer, bad_request(UNFRAMED_BODY), request)
            if version == "HTTP/1.0":
                keep_alive = "keep-alive" in conn_tokens and "close" not in conn_tokens
            else:
                keep_alive = "close" not in conn_tokens

            # Read (and discard) the body: the answer comes after the whole request.
            if chunked or content_length:
                if version == "HTTP/1.1" and any(v.lower() == "100-continue"
                                                 for v in headers.get("expect", [])):
                    await self.send(writer, b"HTTP/1.1 100 Continue\r\n\r\n")
                try:
                    await asyncio.wait_for(read_body(reader, content_length or 0, chunked),
                                           BODY_TIMEOUT)
                except ProtocolError as e:
                    return await self.refuse(reader, writer,
                                             text_answer(e.code, e.reason, e.text), request)
            received_at = loop.time()

            answer = await answer_request(request, received_at)
            await self.send(writer, answer.encode(request.method == "HEAD", keep_alive))
            if not keep_alive:
                await self.close_gracefully(reader, writer)
                return


class ServerState:
    def __init__(self):
        self.writers = set()


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
