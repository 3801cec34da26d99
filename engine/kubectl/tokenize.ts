/** Command lines of timeline actions, split as a shell would before kubectl sees them. */
import { KubectlSyntaxError } from './syntax-error.js';

/** Splits a command line as a POSIX shell would: quotes group, backslash escapes. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new KubectlSyntaxError('a closing single quote', 'end of command');
      current += line.slice(i + 1, end);
      inToken = true;
      i = end;
    } else if (c === '"') {
      inToken = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        // Inside double quotes a backslash escapes only these (POSIX 2.2.3).
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? '')) j++;
        current += line[j];
      }
      if (j >= line.length) throw new KubectlSyntaxError('a closing double quote', 'end of command');
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}
