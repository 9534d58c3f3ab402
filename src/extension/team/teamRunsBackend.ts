import { openTeamDatabase, requireSchema, TeamError, type TeamDatabase } from '../../adapters/team/teamDatabase';
import { TeamClient } from '../../adapters/team/teamEngine';
import { TeamStore, type TeamRunResult, type TeamRunRow } from '../../adapters/team/teamStore';

/**
 * What the Team Runs view needs from team mode, over the same adapter as the CLI. Built into its own
 * bundle (dist/team-vscode.js, with DBOS and pg), loaded the first time the view is shown.
 */
export interface TeamRunsBackend {
  list(): Promise<TeamRunRow[]>;
  result(runId: string): Promise<{ row: TeamRunRow; result: TeamRunResult | null }>;
  decide(runId: string, callId: string | 'all', approve: boolean, reason?: string): Promise<string[]>;
  close(): Promise<void>;
}

export { TeamError };

export async function openTeamBackend(url: string): Promise<TeamRunsBackend> {
  const db: TeamDatabase = await openTeamDatabase(url, { max: 2 });
  try {
    await requireSchema(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  const store = new TeamStore(db);
  return {
    list: () => store.list({ limit: 100 }),
    result: (runId) => store.result(runId),
    async decide(runId, callId, approve, reason) {
      const calls = await store.pendingCalls(runId, callId);
      const client = await TeamClient.open(url);
      try {
        for (const c of calls) await client.sendApproval(runId, c, approve ? { approved: true } : { approved: false, ...(reason ? { reason } : {}) });
      } finally {
        await client.close();
      }
      return calls;
    },
    close: () => db.close(),
  };
}
