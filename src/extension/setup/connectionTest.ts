import { diagnoseConnection } from './connectionDiagnosis';

/** What Test Connection needs from the controller: the gateway and key a run would use now. */
export interface ConnectionInputs {
  url: string;
  protocol: 'openai' | 'anthropic';
  model: string;
  headers: Record<string, string>;
  key: string | undefined;
}

/**
 * Sends one tiny request (a few output tokens) straight to the configured gateway, without retries or
 * fallbacks (they would hide the problem), and says in one sentence what works or what is wrong.
 */
export async function testConnection(inputs: () => Promise<ConnectionInputs>): Promise<{ ok: boolean; message: string }> {
  let gw: ConnectionInputs;
  try {
    gw = await inputs();
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  // A probe, not work: no ledger or budget applies to one 16-token question about the connection.
  const { gatewayProbe } = await import('../../adapters/gateway/gatewayFactory');
  const client = await gatewayProbe({ url: gw.url, protocol: gw.protocol, model: gw.model, headers: gw.headers, timeoutMs: 20_000, sdkMaxRetries: 0 }, gw.key);
  const started = Date.now();
  try {
    let answered = '';
    for await (const ev of client.stream({ system: 'Reply with the single word: ok', messages: [{ role: 'user', content: 'Connection test.' }], tools: [], maxOutputTokens: 16 })) {
      if (ev.type === 'response') answered = ev.response.model ?? gw.model;
    }
    return { ok: true, message: `Connected: ${answered || gw.model} at ${gw.url} answered in ${Date.now() - started} ms.` };
  } catch (e) {
    return { ok: false, message: diagnoseConnection(e, gw).message };
  }
}
