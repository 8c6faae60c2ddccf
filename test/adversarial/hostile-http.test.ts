import t from "tap";
import { survives } from "./hostile.js";

t.test("the runner survives an HTTP server that closes at once: a report, bounded time and memory", (t) => survives(t, "tcp-close", "status"));
for (const kind of ["http-endless-chunked", "http-500mb", "http-huge-headers", "http-1xx-storm", "http-redirect-loop"] as const)
  t.test(`the runner survives ${kind}: a report, bounded time and memory`, (t) => survives(t, kind, "status"));
