import { httpRequest, type HttpResult, integerOption, parse, serverOf, UsageError } from "../../kit/serve.js";

export const probeHelp = `Usage: sockspec probe <url>... [options]

Requests each URL and prints its status, reason phrase, time and the headers of interest, one row per
request: what the course write-up did by hand against httpstat.us.

  --codes LIST     request each URL with /<code> appended, for each code of LIST (e.g. 200,300,403)
  --method NAME    the request's method: GET (default), HEAD, POST, PUT, DELETE, PATCH, OPTIONS or TRACE
  --accept TYPE    send this Accept header (e.g. application/json)
  -H, --header 'NAME: VALUE'
                   send this header too (repeatable; e.g. 'X-HttpStatus-Response-Foo: bar', 'Origin: http://a')
  -t, --timeout MS how long to wait for each answer (default 5000)
  --json           print the rows as JSON, each with every header of the answer

Exit code: 0 when every request was answered, 1 when one was not, 2 for a bad command line.`;

/** What a probe found for one URL. */
export interface ProbeRow {
  url: string;
  status?: number;
  reason?: string;
  ms?: number;
  contentType?: string;
  location?: string;
  contentLength?: string;
  /** Every header of the answer (lower-case names), in the JSON rows. */
  headers?: Record<string, string>;
  /** Why there is no answer: a timeout or a connection that failed. */
  error?: string;
}

function urlsToProbe(bases: string[], codes: number[] | undefined): URL[] {
  return bases.flatMap((base) => {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new UsageError(`"${base}" is not a URL (e.g. http://127.0.0.1:65436)`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`"${base}" is not an http:// or https:// URL`);
    if (codes === undefined) return [url];
    return codes.map((code) => new URL(`${url.pathname.replace(/\/$/, "")}/${code}${url.search}`, url));
  });
}

function row(url: URL, result: HttpResult, timeoutMs: number): ProbeRow {
  if (result.kind === "silence") return { url: url.href, error: `no answer within ${timeoutMs} ms` };
  if (result.kind === "refused") return { url: url.href, error: `connection failed (${result.code})` };
  const header = (name: string) => {
    const value = result.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  return {
    url: url.href,
    status: result.status,
    reason: result.reason,
    ms: Math.round(result.ms * 10) / 10,
    ...Object.fromEntries(
      Object.entries({ contentType: header("content-type"), location: header("location"), contentLength: header("content-length") }).filter(
        ([, v]) => v !== undefined,
      ),
    ),
    headers: Object.fromEntries(Object.keys(result.headers).map((name) => [name, header(name)!])),
  };
}

/** The rows as an aligned table. */
export function formatProbe(rows: ProbeRow[]): string {
  const columns: Array<[string, (r: ProbeRow) => string]> = [
    ["URL", (r) => r.url],
    ["STATUS", (r) => (r.status === undefined ? "-" : String(r.status))],
    ["REASON", (r) => r.reason ?? r.error ?? ""],
    ["TIME", (r) => (r.ms === undefined ? "" : `${r.ms} ms`)],
    ["CONTENT-TYPE", (r) => r.contentType ?? ""],
    ["LOCATION", (r) => r.location ?? ""],
  ];
  const cells = [columns.map(([title]) => title), ...rows.map((r) => columns.map(([, cell]) => cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export async function runProbe(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      codes: { type: "string" },
      method: { type: "string" },
      accept: { type: "string" },
      header: { type: "string", short: "H", multiple: true },
      timeout: { type: "string", short: "t" },
      json: { type: "boolean", default: false },
    },
    "probe",
  );
  if (positionals.length === 0) throw new UsageError("probe needs at least one URL");
  const codes = values.codes?.split(",").map((code) => integerOption("codes", code.trim(), 100, 999)!);
  const method = values.method?.toUpperCase() ?? "GET";
  if (values.method !== undefined) {
    // The methods the status service answers, what the write-up probed; its spec is loaded only when a method is asked for.
    const methods = (await import("./spec/index.js")).answeredMethods();
    if (!methods.includes(method)) throw new UsageError(`--method must be one of ${methods.join(", ")}, got "${values.method}"`);
  }
  const extra = (values.header ?? []).map((line): [string, string] => {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim();
    if (colon < 1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header must be 'NAME: VALUE', got "${line}"`);
    return [name, line.slice(colon + 1).trim()];
  });
  const timeoutMs = integerOption("timeout", values.timeout, 1, 600_000) ?? 5000;
  const rows: ProbeRow[] = [];
  for (const url of urlsToProbe(positionals, codes)) {
    const headers = Object.fromEntries([...extra, ...(values.accept === undefined ? [] : [["accept", values.accept]])]);
    rows.push(row(url, await httpRequest(serverOf(url), { method, path: `${url.pathname}${url.search}`, headers }, timeoutMs), timeoutMs));
  }
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatProbe(rows)}\n`);
  return rows.some((r) => r.error !== undefined) ? 1 : 0;
}
