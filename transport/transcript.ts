/** One event of a session, as in spec/schemas/transcript.schema.json. */
export interface TranscriptEvent {
  conn: string;
  type: "connect" | "refused" | "send" | "recv" | "closed" | "close" | "reset" | "silence" | "exit";
  text?: string;
  base64?: string;
  /** The payload's whole size in bytes, when only its first bytes are kept (text or base64 holds those). */
  size?: number;
  ms?: number;
}

/** A session on the wire, as in spec/schemas/transcript.schema.json. */
export interface Transcript {
  protocol: string;
  name?: string;
  description?: string;
  rules?: string[];
  /**
   * The kinds of server event each rule is decided on, where not all: a replay that differs at another kind
   * of event (an answer, where the rule is about the close after it) shows that rule nothing.
   */
  decides?: Record<string, Array<TranscriptEvent["type"]>>;
  /**
   * The rule that judges whether the server serves connections at once: for the transcript's other rules,
   * a replay whose only difference is that a connection is answered once those before it close shows nothing.
   */
  concurrencyRule?: string;
  recordedFrom?: string;
  events: TranscriptEvent[];
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8, or returns undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The payload fields of an event: text when the bytes are UTF-8, base64 otherwise; past keepBytes, only
 * the first bytes (to a character's end) and the whole size.
 */
export function payload(bytes: Uint8Array, keepBytes = Infinity): Pick<TranscriptEvent, "text" | "base64" | "size"> {
  const kept = bytes.length <= keepBytes ? bytes : bytes.subarray(0, characterEnd(bytes, keepBytes));
  const text = decodeUtf8(kept);
  const size = kept.length < bytes.length ? { size: bytes.length } : {};
  return text === undefined ? { base64: Buffer.from(kept).toString("base64"), ...size } : { text, ...size };
}

/** Where to cut bytes at most `at` long without splitting a UTF-8 sequence (continuation bytes are 10xxxxxx). */
function characterEnd(bytes: Uint8Array, at: number): number {
  let end = at;
  while (end > at - 3 && end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return end;
}

/** The bytes an event carries. */
export function eventBytes(event: TranscriptEvent): Buffer {
  return event.base64 !== undefined ? Buffer.from(event.base64, "base64") : Buffer.from(event.text ?? "", "utf8");
}

/**
 * Events without their timings, as fixtures and recordings are written: a transcript then changes only
 * when the server's behaviour does.
 */
export function withoutTimings(events: readonly TranscriptEvent[]): TranscriptEvent[] {
  return events.map(({ ms: _ms, ...event }) => event);
}

/** What a recorder keeps at most of a session: past either, it records nothing more. */
export interface RecordingLimits {
  /** Payload bytes in all (each payload counted as far as it is kept). */
  bytes: number;
  events: number;
}

/** Collects the events of one session in order, across all its connections. */
export class TranscriptRecorder {
  readonly events: TranscriptEvent[] = [];
  private readonly start = performance.now();
  private keptBytes = 0;
  private shortened = 0;
  private dropped = 0;
  private stopped: string | undefined;
  private onStop: (why: string) => void = () => {};
  /** Resolves, with why, once the recorder reached one of its limits and stopped recording. */
  readonly full = new Promise<string>((resolve) => (this.onStop = resolve));

  constructor(
    readonly protocol: string,
    /** Past this size only a payload's first bytes and its size are kept. */
    private readonly keepBytes = Infinity,
    private readonly limits: RecordingLimits = { bytes: Infinity, events: Infinity },
  ) {}

  record(conn: string, type: TranscriptEvent["type"], bytes?: Uint8Array): void {
    if (this.stopped === undefined) {
      const kept = Math.min(bytes?.length ?? 0, this.keepBytes);
      if (this.events.length >= this.limits.events) this.stop(`${this.limits.events.toLocaleString("en")} events`);
      else if (this.keptBytes + kept > this.limits.bytes) this.stop(`${this.limits.bytes.toLocaleString("en")} bytes of payload`);
      else {
        this.keptBytes += kept;
        if (bytes && bytes.length > this.keepBytes) this.shortened++;
        const ms = Math.round((performance.now() - this.start) * 10) / 10;
        this.events.push({ conn, type, ...(bytes ? payload(bytes, this.keepBytes) : {}), ms });
        return;
      }
    }
    this.dropped++;
  }

  /** What the recorder left out, in words, or undefined when it kept every byte of every event. */
  cuts(): string | undefined {
    const cuts = [];
    if (this.stopped !== undefined)
      cuts.push(`the recording stopped at its limit of ${this.stopped}, and what came after it is not in it (${this.dropped.toLocaleString("en")} events)`);
    if (this.shortened > 0)
      cuts.push(`${this.shortened} payloads past ${this.keepBytes.toLocaleString("en")} bytes keep only their first bytes (their whole size is in "size")`);
    return cuts.length > 0 ? cuts.join("; ") : undefined;
  }

  transcript(extra: Omit<Transcript, "protocol" | "events"> = {}): Transcript {
    return { protocol: this.protocol, ...extra, events: [...this.events] };
  }

  private stop(limit: string): void {
    this.stopped = limit;
    this.onStop(limit);
  }
}

/** Past this many characters a payload is cut in a transcript's lines (the transcript itself keeps what its recorder kept). */
const SHOWN_PAYLOAD = 200;

function shorten(shown: string, event: TranscriptEvent): string {
  const size = event.size ?? eventBytes(event).length;
  return shown.length <= SHOWN_PAYLOAD && event.size === undefined ? shown : `${shown.slice(0, SHOWN_PAYLOAD)}… (${size.toLocaleString("en")} bytes)`;
}

/** Past this many events a transcript's lines show its beginning and end only (the transcript keeps them all). */
const SHOWN_EVENTS = { head: 20, tail: 40 };

/**
 * A transcript as a few readable lines, for reports: `c1 > hello` (sent), `c1 < HELLO` (received). A long
 * one shows its first and last events, with how many were left out between.
 */
export function formatTranscript(transcript: Transcript): string {
  const { head, tail } = SHOWN_EVENTS;
  const { events } = transcript;
  if (events.length <= head + tail + 1) return formatEvents(events);
  const omitted = `… ${events.length - head - tail} events not shown (${events.length} in all; the JSON report has every one)`;
  return [formatEvents(events.slice(0, head)), omitted, formatEvents(events.slice(-tail))].join("\n");
}

function formatEvents(events: readonly TranscriptEvent[]): string {
  const arrow: Record<TranscriptEvent["type"], string> = {
    connect: "connected",
    refused: "connection refused",
    send: ">",
    recv: "<",
    closed: "closed by server",
    close: "closed by client",
    reset: "reset by client (RST)",
    silence: "no answer before the timeout",
    exit: "",
  };
  return events
    .map((e) => {
      // A server's exit is told in words, its last output as it printed it.
      if (e.type === "exit") return `${e.conn}: ${e.text ?? "exited"}`;
      // Why a connection did not open is told in words (refused, reset, timed out), when the recording says.
      if (e.type === "refused") return `${e.conn} could not connect: ${e.text ?? "refused"}`;
      const body = e.text !== undefined ? shorten(JSON.stringify(e.text), e) : e.base64 !== undefined ? shorten(`base64:${e.base64}`, e) : "";
      return `${e.conn} ${arrow[e.type]}${body ? ` ${body}` : ""}`;
    })
    .join("\n");
}
