/** Text as one word for sh: as it is when it holds nothing the shell would read, else in single quotes. */
export const shellWord = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);
