// The status server written from the docs alone (test/adversarial/independent/status.py).
import t from "tap";
import { checkIndependent, seeds } from "./independent.js";

t.test(`an independent status, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) => checkIndependent(t, "status", {}));
