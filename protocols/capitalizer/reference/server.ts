import net from "node:net";
import { capitalizer, type CapitalizerSpec } from "../spec/index.js";
import { upperCase } from "../spec/uppercase.js";
import { decodeUtf8 } from "../../../kit/serve.js";

export interface CapitalizerServerOptions {
  /** Sentences the whole server answers before the limit notice; the spec's quota by default. */
  limit?: number;
  /** Closes a connection on which nothing came for this long; the spec's idleTimeoutMs by default. */
  idleTimeoutMs?: number;
  /** Connections served at once; a further one gets the busy notice. The spec's maxConnections by default. */
  maxConnections?: number;
  /** Connections served at once from one IP address; the spec's maxConnectionsPerAddress by default. */
  maxConnectionsPerAddress?: number;
  /** How long a connection the server has closed waits for the client's close before it is dropped; the spec's closeGraceMs by default. */
  closeGraceMs?: number;
  spec?: CapitalizerSpec;
}

/** Replies a connection may leave unread before the server stops reading it. */
const MAX_UNREAD_REPLY_BYTES = 64 * 1024;

/**
 * The reference capitalizer server. One quota counter for the whole server; since Node runs the handlers
 * one at a time, checking and counting a sentence cannot race.
 */
export function createCapitalizerServer(options: CapitalizerServerOptions = {}): net.Server {
  const spec = options.spec ?? capitalizer;
  const { replySuffix, limitNotice, shutdownRequest, busyNotice } = spec.wireTexts;
  const limit = options.limit ?? spec.limits.quota;
  const idleTimeoutMs = options.idleTimeoutMs ?? spec.limits.idleTimeoutMs;
  const maxConnections = options.maxConnections ?? spec.limits.maxConnections;
  const maxPerAddress = options.maxConnectionsPerAddress ?? spec.limits.maxConnectionsPerAddress;
  const closeGraceMs = options.closeGraceMs ?? spec.limits.closeGraceMs;
  let open = 0;
  const openFrom = new Map<string, number>();
  const sliceBytes = spec.limits.maxSentenceBytes;
  let answered = 0;

  /**
   * Sends `last` and the FIN, so that a client sees a clean close; a client that ignores the FIN would keep
   * the connection (and its slot) half-open for ever, so it is dropped closeGraceMs later.
   */
  function close(socket: net.Socket, last?: string): void {
    if (last === undefined) socket.end();
    else socket.end(last);
    const drop = setTimeout(() => socket.destroy(), closeGraceMs);
    socket.once("close", () => clearTimeout(drop));
  }

  function onSentence(socket: net.Socket, bytes: Buffer): void {
    const sentence = decodeUtf8(bytes);
    if (sentence === undefined) {
      socket.destroy(); // invalid UTF-8: not a sentence; close rather than leave the client waiting
      return;
    }
    if (sentence === shutdownRequest) {
      close(socket);
      return;
    }
    if (answered >= limit) {
      close(socket, limitNotice);
      return;
    }
    answered += 1;
    socket.write(upperCase(sentence) + replySuffix);
  }

  return net.createServer({ noDelay: true }, (socket) => {
    socket.on("error", () => socket.destroy()); // a reset client is just gone; it never stops the server
    // One address cannot take every slot (slowloris): it has maxConnectionsPerAddress of them.
    const address = socket.remoteAddress ?? "";
    if (open >= maxConnections || (openFrom.get(address) ?? 0) >= maxPerAddress) {
      close(socket, busyNotice); // saying so costs one write; taking it on could cost the clients already served
      return;
    }
    open += 1;
    openFrom.set(address, (openFrom.get(address) ?? 0) + 1);
    socket.once("close", () => {
      open -= 1;
      const left = openFrom.get(address)! - 1;
      if (left === 0) openFrom.delete(address);
      else openFrom.set(address, left);
    });
    socket.setTimeout(idleTimeoutMs, () => close(socket)); // timeouts count from the last byte either way
    socket.on("data", (chunk: Buffer) => {
      // Like the original's recv(maxSentenceBytes): a longer read is taken as successive sentences.
      for (let at = 0; at < chunk.length && socket.writable; at += sliceBytes) {
        onSentence(socket, chunk.subarray(at, at + sliceBytes));
      }
      // A client that writes without reading its replies is not read any further until it catches up, so
      // that the replies it leaves unread cannot grow the server's memory.
      if (socket.writableLength > MAX_UNREAD_REPLY_BYTES) {
        socket.pause();
        socket.once("drain", () => socket.resume());
      }
    });
  });
}
