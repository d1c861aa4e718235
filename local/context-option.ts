/** `-c refundHub:key=value` on `npm start` and `npm run replay`, as on `cdk deploy -c`. */

/** A value that reads as JSON (a number, true) is that, else the text (e.g. stripe). */
export function contextOptions(entries: readonly string[]): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0)
      throw new Error(`-c takes key=value, e.g. -c refundHub:paymentProvider=stripe; got ${entry}`);
    const text = entry.slice(equals + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Plain text.
    }
    context[entry.slice(0, equals)] = value;
  }
  return context;
}
