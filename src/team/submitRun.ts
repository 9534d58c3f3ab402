import { randomUUID } from 'node:crypto';
import { openTeamDatabase, requireSchema, TeamError, type TeamDatabase } from '../adapters/team/teamDatabase';
import { TeamClient } from '../adapters/team/teamEngine';
import { TeamStore, type TeamRunDefinition } from '../adapters/team/teamStore';
import { normalizeRepo, resolveCommit } from './checkout';

export interface SubmitInput {
  repo: string;
  ref?: string;
  team: string;
  task: string;
  profile?: string;
  model?: string;
  yes: boolean;
  gateway?: TeamRunDefinition['gateway'];
}

/**
 * Queues team runs: the repository and ref are resolved to a commit first (a bad one leaves nothing
 * behind), then the run is recorded and enqueued; if enqueueing fails the record is removed again.
 * Open once, submit many (the CLI submits one; a batch reuses the connections).
 */
export class TeamSubmitter {
  private constructor(
    private readonly db: TeamDatabase,
    private readonly client: TeamClient,
    private readonly cwd: string,
  ) {}

  static async open(url: string, cwd: string = process.cwd()): Promise<TeamSubmitter> {
    const db = await openTeamDatabase(url);
    try {
      await requireSchema(db);
      return new TeamSubmitter(db, await TeamClient.open(url), cwd);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  async submit(input: SubmitInput): Promise<TeamRunDefinition & { commit: string }> {
    const repo = await normalizeRepo(input.repo, this.cwd);
    const commit = await resolveCommit(repo, input.ref);
    const def: TeamRunDefinition & { commit: string } = {
      runId: randomUUID(),
      team: input.team,
      repo,
      ...(input.ref ? { ref: input.ref } : {}),
      task: input.task,
      ...(input.profile ? { profile: input.profile } : {}),
      ...(input.model ? { model: input.model } : {}),
      yes: input.yes,
      ...(input.gateway && Object.keys(input.gateway).length > 0 ? { gateway: input.gateway } : {}),
      commit,
    };
    const store = new TeamStore(this.db);
    await store.insertRun(def);
    await store.setCommit(def.runId, commit);
    try {
      await this.client.enqueue(def);
    } catch (e) {
      await store.deleteRun(def.runId);
      throw new TeamError(`could not queue the run: ${(e as Error).message}`);
    }
    return def;
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.db.close();
  }
}
