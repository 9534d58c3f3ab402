/**
 * The panel's words, localization-ready the way `vscode.l10n.t` is: each message is its own key (the
 * English text), `{0}`, `{1}` are filled from the arguments, and a translation bundle (message ->
 * translated message) replaces the English when the host sends one. English only for now.
 */
let bundle: Readonly<Record<string, string>> = {};

export function setStrings(translations: Readonly<Record<string, string>> | undefined): void {
  bundle = translations ?? {};
}

export function t(message: string, ...args: (string | number)[]): string {
  const text = bundle[message] ?? message;
  return args.length === 0 ? text : text.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}
