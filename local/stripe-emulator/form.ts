/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket keys
 * (`metadata[caseId]=x`, `expand[]=refunds`, `items[0][price]=p`), the same in query strings.
 * Expanded into plain objects and arrays of strings; numbers stay strings until a route reads them.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormParams = { [key: string]: FormValue };

/** `a[b][0][c]` → ['a', 'b', '0', 'c']; `a[]` → ['a', '']. A key that is not bracket-shaped stays whole. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed) return [key];
    parts.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  return consumed === rest.length ? parts : [key];
}

const isIndex = (part: string) => part === '' || /^\d+$/.test(part);

/** Parses a urlencoded body or query string into nested params. Later duplicates of a scalar win, as Stripe's do. */
export function parseForm(text: string): FormParams {
  const root: FormParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = keyPath(key);
    let node: FormParams | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const part = path[i] as string;
      const last = i === path.length - 1;
      const nextIsIndex = !last && isIndex(path[i + 1] as string);
      if (Array.isArray(node)) {
        const index = part === '' ? node.length : Number(part);
        if (last) node[index] = value;
        else {
          const existing: FormValue | undefined = node[index];
          const child: FormValue =
            existing !== undefined && typeof existing !== 'string' ? existing : nextIsIndex ? [] : {};
          node[index] = child;
          node = child as FormParams | FormValue[];
        }
      } else if (last) {
        node[part] = value;
      } else {
        const existing: FormValue | undefined = node[part];
        const child: FormValue =
          existing !== undefined && typeof existing !== 'string' ? existing : nextIsIndex ? [] : {};
        node[part] = child;
        node = child as FormParams | FormValue[];
      }
    }
  }
  return compact(root) as FormParams;
}

/** Sparse arrays (`expand[3]` alone) become dense, as Stripe reads them. */
function compact(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
}

/** Order-insensitive equality of two parsed param sets (object keys in any order; arrays in order). */
export function sameParams(a: FormValue | undefined, b: FormValue | undefined): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameParams(v, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => sameParams(a[k], b[k]));
}
