/** A text as a literal part of a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A whole-text regular expression for a wire text, each `{name}` placeholder standing for `holes[name]`. */
export function templatePattern(template: string, holes: Record<string, string>): string {
  return `^${template
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? holes[part.slice(1, -1)]! : escapeRegExp(part)))
    .join("")}$`;
}

/** A wire text with its `{name}` placeholders filled in. */
export function fill(template: string, values: Record<string, string | bigint>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
