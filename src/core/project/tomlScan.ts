/**
 * Just enough of TOML to detect a project: the table headers present and the package names a
 * manifest depends on. Detection only reads these facts (it never executes or trusts values), so a
 * full TOML parser would add weight without changing a result; anything unusual is simply not seen.
 */
export interface TomlFacts {
  /** Table headers, e.g. `tool.pytest.ini_options`, `project`, `tool.poetry.dependencies`. */
  tables: Set<string>;
  /** Lower-case package names found in dependency arrays and dependency tables. */
  dependencies: Set<string>;
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const PACKAGE_NAME = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/;

function unquoteKey(header: string): string {
  return header
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

/** True when a `]` appears outside quoted strings (`"requests[socks]"` does not end the array). */
function closesArray(text: string): boolean {
  return text.replace(/"[^"]*"|'[^']*'/g, '').includes(']');
}

export function scanToml(text: string): TomlFacts {
  const tables = new Set<string>();
  const dependencies = new Set<string>();
  let table = '';
  let inDepArray = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    const header = HEADER.exec(line);
    if (header && !inDepArray) {
      table = unquoteKey(header[1] as string);
      tables.add(table);
      continue;
    }
    const isDepTable = /(^|\.)(dependencies|dev-dependencies|dev_dependencies|optional-dependencies)(\.|$)/.test(table) || /(^|\.)dependency-groups$/.test(table);
    if (inDepArray) {
      for (const m of line.matchAll(/["']([A-Za-z0-9][A-Za-z0-9._-]*)/g)) dependencies.add((m[1] as string).toLowerCase());
      if (closesArray(line)) inDepArray = false;
      continue;
    }
    const assign = /^\s*([A-Za-z0-9_.-]+|"[^"]+")\s*=\s*(.*)$/.exec(line);
    if (!assign) continue;
    const key = (assign[1] as string).replace(/"/g, '');
    const value = assign[2] as string;
    if (value.trimStart().startsWith('[') && (/^(dependencies|requires|dev-dependencies)$/.test(key) || isDepTable)) {
      for (const m of value.matchAll(/["']([A-Za-z0-9][A-Za-z0-9._-]*)/g)) dependencies.add((m[1] as string).toLowerCase());
      inDepArray = !closesArray(value);
    } else if (isDepTable) {
      const name = PACKAGE_NAME.exec(key);
      if (name) dependencies.add((name[1] as string).toLowerCase());
    }
  }
  return { tables, dependencies };
}
