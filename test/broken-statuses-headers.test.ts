import { testBrokenStatuses } from "./broken-statuses.js";

testBrokenStatuses("headers");
