import http from "node:http";
import { createStatusServer } from "../../reference/status/server.js";

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** The reference status server with its request handler wrapped: everything but the defect is the reference's. */
function referenceWrapped(wrap: (handler: Handler) => Handler): http.Server {
  const server = createStatusServer();
  const [handler] = server.listeners("request") as Handler[];
  server.removeAllListeners("request");
  server.on("request", wrap(handler!));
  return server;
}

const sleepOf = (request: http.IncomingMessage) => Number(new URL(request.url ?? "/", "http://x").searchParams.get("sleep") ?? 0);
const withoutSleep = (request: http.IncomingMessage) => {
  request.url = (request.url ?? "/").replace(/[?&]sleep=[^&]*/, "");
};

/** Broken status servers, each with the rules it must fail (and no others). */
export const brokenStatusServers: Array<{ name: string; create(): http.Server; fails: string[]; warns?: string[] }> = [
  {
    name: "a reason phrase of its own (upper case)",
    create: () =>
      referenceWrapped((handler) => (request, response) => {
        const writeHead = response.writeHead.bind(response) as (code: number, reason: string, headers: http.OutgoingHttpHeaders) => http.ServerResponse;
        response.writeHead = ((code: number, reason: string, headers: http.OutgoingHttpHeaders) =>
          writeHead(code, reason.toUpperCase(), headers)) as typeof response.writeHead;
        handler(request, response);
      }),
    fails: ["STATUS-REASON"],
  },
  {
    name: "200 for everything, like the site in the write-up",
    create: () =>
      http.createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<html><body>Welcome</body></html>");
      }),
    fails: [
      "STATUS-CODE",
      "STATUS-REASON",
      "STATUS-TEXT-BODY",
      "STATUS-JSON-BODY",
      "STATUS-NO-BODY",
      "STATUS-LOCATION",
      "STATUS-SLEEP",
      "STATUS-SLEEP-BOUND",
      "STATUS-UNSUPPORTED-CODE",
      "STATUS-NOT-ALWAYS-OK",
    ],
    warns: ["STATUS-METHOD"],
  },
  {
    name: "the sleep parameter ignored",
    create: () =>
      referenceWrapped((handler) => (request, response) => {
        withoutSleep(request);
        handler(request, response);
      }),
    fails: ["STATUS-SLEEP", "STATUS-SLEEP-BOUND"],
  },
  {
    name: "a sleep that blocks the whole server",
    create: () =>
      referenceWrapped((handler) => (request, response) => {
        const ms = sleepOf(request);
        if (Number.isInteger(ms) && ms > 0 && ms <= 1000) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); // the event loop stops, for every client
          withoutSleep(request);
        }
        handler(request, response);
      }),
    fails: ["STATUS-SLEEP-CONCURRENT"],
  },
];
