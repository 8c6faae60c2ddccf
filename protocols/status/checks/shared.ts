// What the status checks share: the spec's values they use, arbitraries and helpers.
import type { HttpAnswer } from "../../../kit/index.js";
import { status } from "../spec/index.js";
import type { StatusSession } from "./session.js";

export const { wireTexts } = status;
/** Timers fire on whole milliseconds, so a sleep measured by another clock may look up to 1 ms short. */
export const TIMER_GRANULARITY_MS = 1;

export const headers = (acceptHeader: string | undefined): Record<string, string> => (acceptHeader === undefined ? {} : { accept: acceptHeader });
export const get = (code: number | string, acceptHeader?: string, query = "", extra: Record<string, string> = {}) => ({
  method: "GET",
  path: `/${code}${query}`,
  headers: { ...headers(acceptHeader), ...extra },
});
/** A header's value as the kit reads it, in words. */
export const shown = (name: string, value: string | string[] | undefined) => (value === undefined ? `no ${name}` : `${name}: ${String(value)}`);
export const acceptedAs = (acceptHeader: string | undefined) => (acceptHeader === undefined ? "no Accept header" : `Accept: ${acceptHeader}`);
export const contentType = (answer: HttpAnswer) => answer.headers["content-type"];
/** Text as a query carries it: percent-encoded, a space as `+` (form data). */
export const formEncoded = (text: string) => encodeURIComponent(text).replaceAll("%20", "+");

/** Fails the run unless `answer` is GET /<code>'s answer `plain` again: status, reason phrase, the headers rules name, body. */
export function expectSameAnswer(run: StatusSession, what: string, answer: HttpAnswer, plain: HttpAnswer): void {
  const as = ` as GET /${plain.status} was`;
  run.expectEqual(`the status of ${what}${as}`, answer.status, plain.status);
  run.expectEqual(`the reason phrase of ${what}${as}`, answer.reason, plain.reason);
  for (const name of ["content-type", "location", "retry-after", "www-authenticate", "proxy-authenticate"])
    run.expectEqual(`the ${name} of ${what}${as}`, answer.headers[name], plain.headers[name]);
  run.expectEqual(`the body of ${what}${as}`, answer.body.toString("utf8"), plain.body.toString("utf8"));
}
