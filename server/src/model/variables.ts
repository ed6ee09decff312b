/**
 * Docker's variable substitution for ARG and ENV values: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`. Unknown variables are kept as written and reported,
 * so a size estimate can say "depends on build arg X" instead of guessing.
 */

export type Scope = ReadonlyMap<string, string | null>;

export interface Expansion { value: string; unresolved: string[] }

const variablePattern = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function expandVariables(text: string, scope: Scope, escapeChar = '\\'): Expansion {
  const unresolved: string[] = [];
  if (!text.includes('$')) return { value: text, unresolved };
  let out = '';
  let last = 0;
  for (const match of text.matchAll(variablePattern)) {
    const at = match.index ?? 0;
    // An escaped dollar (`\$VAR`) is literal.
    if (at > 0 && text[at - 1] === escapeChar) continue;
    out += text.slice(last, at);
    last = at + match[0].length;
    const name = match[1] ?? match[4];
    const operator = match[2];
    const operand = match[3] ?? '';
    const known = scope.has(name) && scope.get(name) !== null;
    const current = known ? (scope.get(name) as string) : '';
    const isSet = known && (operator?.startsWith(':') ? current !== '' : true);
    if (operator === ':-' || operator === '-') {
      if (isSet) out += current;
      else out += expandVariables(operand, scope, escapeChar).value;
    } else if (operator === ':+' || operator === '+') {
      if (isSet) out += expandVariables(operand, scope, escapeChar).value;
    } else if (known) {
      out += current;
    } else {
      unresolved.push(name);
      out += match[0];
    }
  }
  out += text.slice(last);
  return { value: out, unresolved };
}

/** Splits `KEY=value` / `KEY value` (ENV legacy form) / quoted values into pairs. */
export function parseAssignments(args: readonly string[], legacyForm: boolean): [string, string | null][] {
  if (legacyForm && args.length >= 1 && !args[0].includes('=')) {
    return [[args[0], args.slice(1).join(' ')]];
  }
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq < 0) return [arg, null];
    return [arg.slice(0, eq), unquote(arg.slice(eq + 1))];
  });
}

export function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}
