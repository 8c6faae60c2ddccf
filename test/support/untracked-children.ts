/**
 * Loaded into every test process (.taprc's node-arg). tap's process tracker, which serves coverage (off
 * here), loads itself into every Node process a test starts, by NODE_OPTIONS and a spawn hook: a quarter
 * of a second of CPU for each CLI run and spawned server, minutes over the suite. Without it, the
 * processes a test starts run as a user's would.
 */
const spawnHooks = (globalThis as Record<symbol, { listeners?: unknown[] } | undefined>)[Symbol.for("process-on-spawn@*:singletonId")];
if (spawnHooks?.listeners) spawnHooks.listeners.length = 0;
const nodeOptions = process.env.NODE_OPTIONS?.replace(/"?--import=[^\s"]*@tapjs\/processinfo[^\s"]*"?/g, "").trim();
if (nodeOptions) process.env.NODE_OPTIONS = nodeOptions;
else delete process.env.NODE_OPTIONS;

export {};
