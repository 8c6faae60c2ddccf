import { testBrokenStatuses } from "./broken-statuses.js";

testBrokenStatuses("connections");
