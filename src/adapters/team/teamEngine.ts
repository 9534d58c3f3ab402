import { DBOS, DBOSClient } from '@dbos-inc/dbos-sdk';
import { DBOSExecutor } from '@dbos-inc/dbos-sdk/internal/dbos-executor';
import type { DurableSteps } from '../../core/durable/durableSteps';
import { DBOS_SCHEMA, TeamError, connectionProblem } from './teamDatabase';
import type { TeamRunDefinition, TeamRunResult } from './teamStore';

/**
 * Team mode on DBOS Transact: each run is one durable workflow on one shared queue; its steps (model
 * calls, effects) are recorded in PostgreSQL; approvals are DBOS messages; a worker that dies has its
 * pending workflows re-queued by a live one (DBOS's own recovery, by executor id).
 */
export const TEAM_QUEUE = 'agent-harness-runs';
export const TEAM_WORKFLOW = 'agentHarnessTeamRun';
const APP_NAME = 'agent-harness';
/** Every worker of one release runs the same workflow code; DBOS recovers and dequeues only within a version. */
export const APP_VERSION = `agent-harness-team-1`;

export type ApprovalMessage = { approved: true } | { approved: false; reason?: string };

export const approvalTopic = (callId: string) => `approval:${callId}`;

/** The worker's side: what runs a workflow, given the engine's steps and messages. */
export type RunExecutor = (def: TeamRunDefinition & { commit: string }, engine: WorkflowEngine) => Promise<TeamRunResult>;

export interface WorkflowEngine {
  steps: DurableSteps;
  /** The current step's key, unique in the run (the ledger's idempotency key). */
  stepKey(): string;
  /** Waits for a person's decision on a call, at most `timeoutSeconds` (null when it timed out). */
  recvApproval(callId: string, timeoutSeconds: number): Promise<ApprovalMessage | null>;
}

const dbosSteps: DurableSteps = {
  async step<T>(name: string, fn: () => Promise<T>) {
    let ran = false;
    const value = await DBOS.runStep(async () => {
      ran = true;
      return fn();
    }, { name });
    return { value: value as T, replayed: !ran };
  },
};

const engine: WorkflowEngine = {
  steps: dbosSteps,
  stepKey: () => `s${DBOS.stepID ?? 'x'}`,
  recvApproval: (callId, timeoutSeconds) => DBOS.recv<ApprovalMessage>(approvalTopic(callId), timeoutSeconds),
};

export interface LaunchOptions {
  databaseUrl: string;
  executorId: string;
  concurrency: number;
  execute: RunExecutor;
}

/** Starts DBOS in this process as one worker of the fleet: it dequeues runs, at most `concurrency` at once. */
export async function launchWorkerEngine(opts: LaunchOptions): Promise<void> {
  DBOS.setConfig({
    name: APP_NAME,
    systemDatabaseUrl: opts.databaseUrl,
    systemDatabaseSchemaName: DBOS_SCHEMA,
    executorID: opts.executorId,
    applicationVersion: APP_VERSION,
    logLevel: 'error',
    systemDatabasePoolSize: Math.max(4, opts.concurrency * 2 + 2),
  });
  DBOS.registerWorkflow(async (def: TeamRunDefinition & { commit: string }) => opts.execute(def, engine), { name: TEAM_WORKFLOW });
  try {
    await DBOS.launch();
  } catch (e) {
    throw connectionProblem(e, opts.databaseUrl);
  }
  await DBOS.registerQueue(TEAM_QUEUE, { workerConcurrency: opts.concurrency, onConflict: 'always_update' } as Parameters<typeof DBOS.registerQueue>[1]);
}

/**
 * Stops dequeuing, waits up to `graceMs` for this worker's runs to finish, and disconnects. Runs still
 * going (waiting for a person, or slow) stay pending under this worker's id for a live worker to take over.
 */
export async function stopWorkerEngine(graceMs: number): Promise<void> {
  await DBOS.shutdown({ workflowCompletionTimeoutMS: graceMs });
}

/** Re-queues the pending workflows of workers that died or left, so any live worker continues them from their last step. */
export async function recoverExecutors(executorIds: readonly string[]): Promise<number> {
  const executor = DBOSExecutor.globalInstance;
  if (!executor || executorIds.length === 0) return 0;
  const handles = await executor.recoverPendingWorkflows([...executorIds]);
  return handles.length;
}

/** The submitter's and approver's side: enqueue, message, cancel, without running workflows. */
export class TeamClient {
  private constructor(private readonly client: DBOSClient) {}

  static async open(databaseUrl: string): Promise<TeamClient> {
    try {
      return new TeamClient(await DBOSClient.create({ systemDatabaseUrl: databaseUrl, systemDatabaseSchemaName: DBOS_SCHEMA, applicationName: APP_NAME, systemDatabasePoolSize: 2 }));
    } catch (e) {
      throw connectionProblem(e, databaseUrl);
    }
  }

  async enqueue(def: TeamRunDefinition & { commit: string }): Promise<void> {
    await this.client.enqueue({ workflowName: TEAM_WORKFLOW, queueName: TEAM_QUEUE, workflowID: def.runId, appVersion: APP_VERSION }, def);
  }

  async sendApproval(runId: string, callId: string, message: ApprovalMessage): Promise<void> {
    await this.client.send(runId, message, approvalTopic(callId), `${runId}:${callId}`);
  }

  async cancel(runId: string): Promise<void> {
    try {
      await this.client.cancelWorkflow(runId);
    } catch (e) {
      throw new TeamError(`could not cancel run ${runId}: ${(e as Error).message}`);
    }
  }

  close(): Promise<void> {
    return this.client.destroy();
  }
}
