// The built-in protocols' public API, which the package's index re-exports.
export { capitalizerModule, REFERENCE_CAPITALIZER_LIMITS } from "./capitalizer/index.js";
export { capitalizer, expectedReply, type CapitalizerLimit, type CapitalizerSpec, type CapitalizerWireText } from "./capitalizer/spec/index.js";
export { createCapitalizerServer, type CapitalizerServerOptions } from "./capitalizer/reference/server.js";
export { runCapitalizerClient, type CapitalizerClientOptions } from "./capitalizer/reference/client.js";
export { capitalizerWorkload } from "./capitalizer/load.js";
export { bankModule, REFERENCE_BANK_LIMITS } from "./bank/index.js";
export { bank, type BankLimit, type BankSpec, type BankWireText } from "./bank/spec/index.js";
export { createBankServer, type BankServerOptions } from "./bank/reference/server.js";
export { runBankClient, type BankClientOptions } from "./bank/reference/client.js";
export { bankWorkload, bankWorkloads, type BankLoadOptions, type BankWorkload } from "./bank/load.js";
export { statusModule } from "./status/index.js";
export { status, acceptsJson, answeredCodes, reasonPhrases, type StatusLimit, type StatusSpec, type StatusWireText } from "./status/spec/index.js";
export { createStatusServer, type StatusServerOptions } from "./status/reference/server.js";
export { statusWorkload } from "./status/load.js";
