import t from "tap";
import { survives } from "./hostile.js";

for (const kind of ["tcp-silent", "tcp-endless", "tcp-50mb", "tcp-trickle"] as const)
  t.test(`the runner survives ${kind}: a report, bounded time and memory`, (t) => survives(t, kind));
