import type { TranscriptRecorder } from "../../transport/transcript.js";

/** What a read of the client's bytes gave: a message, the client's close (or reset), or nothing in time. */
export type ClientRead = { kind: "message"; bytes: Buffer } | { kind: "closed"; reset: boolean } | { kind: "silence" };

/** The most bytes the kit takes in from a client in one read: far more than any message, bounded whatever it sends. */
export const MAX_CLIENT_READ_BYTES = 256 * 1024;

/** A server of the kit's own that plays the protocol's server for one run, on a free loopback port, over the protocol's transport. */
export interface ScriptedServer {
  readonly host: string;
  readonly recorder: TranscriptRecorder;
  /** The port it listens on once listen() resolved. */
  port: number;
  listen(): Promise<void>;
  close(): Promise<void>;
}
