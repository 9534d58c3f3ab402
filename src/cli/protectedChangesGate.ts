import { describePending, IntegrityLog } from '../adapters/integrity/integrityLog';
import { cliStateLocation } from '../adapters/ledger/stateLocation';
import { UsageError, type CliIo } from './cliIo';
import { terminalPrompt } from './terminalPrompt';

/**
 * Before the CLI runs git on the host in a workspace where commands of the agent changed protected
 * files (a planted hook, a git directory where there was none), a person confirms they looked: in a
 * terminal by answering, elsewhere with --accept-agent-changes. The audit already put the files back;
 * this is the second lock, for whatever an audit cannot see.
 */
export async function confirmProtectedChanges(root: string, io: CliIo, accepted: boolean): Promise<void> {
  const log = new IntegrityLog(cliStateLocation(io.env).integrityDir);
  const pending = await log.pending(root);
  if (pending.length === 0) return;
  const what = describePending(pending);
  if (accepted) {
    io.stderr(`agent-harness: ${what}\nagent-harness: continuing: --accept-agent-changes given\n`);
    await log.acknowledge(root, 'cli --accept-agent-changes');
    return;
  }
  if (io.interactive) {
    const answer = await terminalPrompt(`${what}\nRun git in this workspace anyway? [y/N] `, new AbortController().signal);
    if (answer !== undefined && /^y(es)?$/i.test(answer.trim())) {
      await log.acknowledge(root, 'cli prompt');
      return;
    }
  }
  throw new UsageError(`${what}\nNot running git here until a person confirms: look at the files named above, then run again in a terminal, or with --accept-agent-changes`);
}
