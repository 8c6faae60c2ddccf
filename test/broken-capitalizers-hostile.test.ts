import { testBrokenCapitalizers } from "./broken-capitalizers.js";

testBrokenCapitalizers("hostile");
