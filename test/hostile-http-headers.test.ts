import t from "tap";
import { survives } from "./hostile.js";

for (const kind of ["http-huge-headers", "http-1xx-storm", "http-redirect-loop"] as const)
  t.test(`the runner survives ${kind}: a report, bounded time and memory`, (t) => survives(t, kind, "status"));
