import t from "tap";
import { survives } from "./hostile.js";

for (const kind of ["tcp-close", "http-endless-chunked", "http-500mb", "http-huge-headers", "http-1xx-storm", "http-redirect-loop"] as const)
  t.test(`the runner survives ${kind === "tcp-close" ? "an HTTP server that closes at once" : kind}: a report, bounded time and memory`, (t) =>
    survives(t, kind),
  );
