/**
 * Ctrl-C, a closed terminal (SIGHUP) and a polite kill (SIGTERM) all cancel the run the same way, so the
 * sandbox container is removed, MCP servers are stopped and the journal is closed on every one of them.
 * Returns the function that stops listening.
 */
export function cancelOnSignals(controller: AbortController): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((signal) => {
    const handler = () => controller.abort(new Error(`interrupted (${signal})`));
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
