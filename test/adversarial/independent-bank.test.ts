// The bank server written from the docs alone (test/adversarial/independent/bank.py).
import t from "tap";
import { checkIndependent, seeds } from "./independent.js";

t.test(`an independent bank, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) =>
  checkIndependent(t, "bank", { challengeTimeoutMs: 2000, throttleWindowMs: 2000 }),
);
