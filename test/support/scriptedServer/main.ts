import { parseArgs } from 'node:util';
import { conversationResponder } from './conversations';
import { demoResponder } from './demoResponder';
import { startScriptedServer } from './server';
import { loadScenario } from './turn';

/**
 * Standalone scripted model server for benchmarks and the offline demo:
 *   scripted-server [--port N] [--host H] [--scenario FILE] [--demo] [--delay-ms N]
 * Prints `listening on URL` on stdout once it accepts connections and runs until killed. With both
 * --scenario and --demo, the scenario's turns are played first and the demo answers afterwards.
 */

const USAGE = 'usage: scripted-server [--port N] [--host H] [--scenario FILE] [--demo] [--delay-ms N]';

function fail(message: string): never {
  process.stderr.write(`scripted-server: ${message}\n`);
  process.exit(2);
}

function nonNegativeInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        scenario: { type: 'string' },
        demo: { type: 'boolean' },
        'delay-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = nonNegativeInt('port', values.port);
  if (port !== undefined && port > 65535) fail(`--port must be at most 65535, got ${port}`);
  const delayMs = nonNegativeInt('delay-ms', values['delay-ms']);

  let turns;
  let conversations;
  if (values.scenario !== undefined) {
    try {
      ({ turns, conversations } = await loadScenario(values.scenario));
    } catch (e) {
      fail((e as Error).message);
    }
  }
  let server;
  try {
    server = await startScriptedServer({ port, host: values.host, delayMs });
  } catch (e) {
    fail(`cannot listen: ${(e as Error).message}`);
  }
  if (turns) server.script(turns);
  if (conversations) server.respondWith(conversationResponder(conversations));
  if (values.demo) server.respondWith(demoResponder);
  const stop = (): void => {
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`listening on ${server.url}\n`);
}

void main();
