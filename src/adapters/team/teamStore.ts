import { TEAM_SCHEMA as S, TeamError, type TeamDatabase } from './teamDatabase';

export type TeamRunState = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export const FINAL_STATES: readonly TeamRunState[] = ['completed', 'failed', 'cancelled'];

/** What a submitter asks for; no key, no secret (the worker's environment supplies the key). */
export interface TeamRunDefinition {
  runId: string;
  team: string;
  repo: string;
  ref?: string;
  task: string;
  profile?: string;
  model?: string;
  /** The run's auto-approval: --yes approves what the `all` tier approves; the rest waits for a person. */
  yes: boolean;
  /**
   * `run`'s gateway flags as the submitter gave them; none is a secret. A gateway URL must be the
   * worker's own (a worker's key never goes to a URL a submitter chose); the rest applies to the run.
   */
  gateway?: { url?: string; protocol?: string; fallbackModels?: string[]; maxTokens?: number; maxCostUsd?: number; prices?: Record<string, unknown> };
}

/** What `team result` shows: the answer and the proposed patch (nothing is pushed anywhere). */
export interface TeamRunResult {
  status: string;
  output: string;
  error?: string;
  patch: string;
  filesChanged: string[];
  commandsRun: string[];
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; totalTokens: number; costUsd: number; costUnknown?: boolean };
  modelCalls: number;
  commit?: string;
}

export interface PendingApproval {
  callId: string;
  tool: string;
  summary: string;
  reasons: string[];
  askedAt: string;
}

export interface TeamRunRow {
  runId: string;
  team: string;
  repo: string;
  ref: string | null;
  task: string;
  profile: string | null;
  model: string | null;
  state: TeamRunState;
  worker: string | null;
  commit: string | null;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  error: string | null;
  usage: { calls: number; inputTokens: number; outputTokens: number; costUsd: number; costUnknown: boolean };
  pendingApprovals: PendingApproval[];
}

interface RunDbRow {
  run_id: string;
  team: string;
  repo: string;
  ref: string | null;
  task: string;
  profile: string | null;
  model: string | null;
  state: TeamRunState;
  worker: string | null;
  commit_sha: string | null;
  submitted_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  error: string | null;
  calls: string;
  input_tokens: string;
  output_tokens: string;
  cost_usd: string;
  unpriced: string;
}

const RUN_SELECT = `
  SELECT r.*, coalesce(u.calls, 0) AS calls, coalesce(u.input_tokens, 0) AS input_tokens, coalesce(u.output_tokens, 0) AS output_tokens,
         coalesce(u.cost_usd, 0) AS cost_usd, coalesce(u.unpriced, 0) AS unpriced
  FROM ${S}.runs r
  LEFT JOIN (SELECT run_id, count(*) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                    sum(coalesce(cost_usd, 0)) AS cost_usd, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced
             FROM ${S}.ledger GROUP BY run_id) u ON u.run_id = r.run_id`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The product's view of team runs; DBOS holds the workflows, this holds what people ask about. */
export class TeamStore {
  constructor(private readonly db: TeamDatabase) {}

  async insertRun(def: TeamRunDefinition): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO ${S}.runs (run_id, team, repo, ref, task, profile, model, yes, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued')`,
      [def.runId, def.team, def.repo, def.ref ?? null, def.task, def.profile ?? null, def.model ?? null, def.yes],
    );
  }

  async deleteRun(runId: string): Promise<void> {
    await this.db.pool.query(`DELETE FROM ${S}.runs WHERE run_id = $1`, [runId]);
  }

  /** A run (re)starts on a worker: counted, so `status` shows a recovery. Never moves a finished run. */
  async markStarted(runId: string, worker: string): Promise<void> {
    await this.db.pool.query(
      `UPDATE ${S}.runs SET state = CASE WHEN EXISTS (SELECT 1 FROM ${S}.approvals a WHERE a.run_id = $1 AND a.state = 'pending') THEN 'waiting' ELSE 'running' END,
              worker = $2, started_at = coalesce(started_at, now()), attempts = attempts + 1
       WHERE run_id = $1 AND state NOT IN ('completed', 'failed', 'cancelled')`,
      [runId, worker],
    );
  }

  async setCommit(runId: string, commit: string): Promise<void> {
    await this.db.pool.query(`UPDATE ${S}.runs SET commit_sha = $2 WHERE run_id = $1`, [runId, commit]);
  }

  /** The run's last word; a cancelled run stays cancelled (its result still shows what it did). */
  async finish(runId: string, state: 'completed' | 'failed' | 'cancelled', result: TeamRunResult | null, error?: string): Promise<void> {
    await this.db.pool.query(
      `UPDATE ${S}.runs SET state = CASE WHEN state = 'cancelled' THEN state ELSE $2 END, result = $3, error = $4, finished_at = coalesce(finished_at, now()) WHERE run_id = $1`,
      [runId, state, result === null ? null : JSON.stringify(result), error ?? null],
    );
  }

  async markCancelled(runId: string): Promise<boolean> {
    const r = await this.db.pool.query(`UPDATE ${S}.runs SET state = 'cancelled', finished_at = now() WHERE run_id = $1 AND state NOT IN ('completed', 'failed', 'cancelled')`, [runId]);
    await this.db.pool.query(`UPDATE ${S}.approvals SET state = 'rejected', reason = 'the run was cancelled', decided_at = now() WHERE run_id = $1 AND state = 'pending'`, [runId]);
    return (r.rowCount ?? 0) > 0;
  }

  async isCancelled(runId: string): Promise<boolean> {
    const r = await this.db.pool.query<{ state: string }>(`SELECT state FROM ${S}.runs WHERE run_id = $1`, [runId]);
    return r.rows[0]?.state === 'cancelled';
  }

  async get(runId: string): Promise<TeamRunRow> {
    const r = await this.db.pool.query<RunDbRow>(`${RUN_SELECT} WHERE r.run_id = $1`, [runId]);
    const row = r.rows[0];
    if (!row) throw new TeamError(`no team run ${JSON.stringify(runId)}: see agent-harness team status for the runs there are`);
    return (await this.withApprovals([row]))[0]!;
  }

  async list(opts: { limit?: number } = {}): Promise<TeamRunRow[]> {
    const r = await this.db.pool.query<RunDbRow>(`${RUN_SELECT} ORDER BY r.submitted_at DESC LIMIT $1`, [opts.limit ?? 200]);
    return this.withApprovals(r.rows);
  }

  async result(runId: string): Promise<{ row: TeamRunRow; result: TeamRunResult | null }> {
    const row = await this.get(runId);
    const r = await this.db.pool.query<{ result: TeamRunResult | null }>(`SELECT result FROM ${S}.runs WHERE run_id = $1`, [runId]);
    return { row, result: r.rows[0]?.result ?? null };
  }

  private async withApprovals(rows: RunDbRow[]): Promise<TeamRunRow[]> {
    if (rows.length === 0) return [];
    const a = await this.db.pool.query<{ run_id: string; call_id: string; tool: string; summary: string; reasons: string[]; asked_at: Date }>(
      `SELECT run_id, call_id, tool, summary, reasons, asked_at FROM ${S}.approvals WHERE state = 'pending' AND run_id = ANY($1) ORDER BY asked_at`,
      [rows.map((r) => r.run_id)],
    );
    return rows.map((r) => ({
      runId: r.run_id,
      team: r.team,
      repo: r.repo,
      ref: r.ref,
      task: r.task,
      profile: r.profile,
      model: r.model,
      state: r.state,
      worker: r.worker,
      commit: r.commit_sha,
      submittedAt: iso(r.submitted_at)!,
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
      attempts: r.attempts,
      error: r.error,
      usage: { calls: Number(r.calls), inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens), costUsd: Number(r.cost_usd), costUnknown: Number(r.unpriced) > 0 },
      pendingApprovals: a.rows.filter((x) => x.run_id === r.run_id).map((x) => ({ callId: x.call_id, tool: x.tool, summary: x.summary, reasons: x.reasons, askedAt: x.asked_at.toISOString() })),
    }));
  }

  // --- approvals -------------------------------------------------------------------------------

  /** A call waits for a person: listed as pending, the run shown as waiting. Idempotent (a replay asks again). */
  async askApproval(runId: string, a: { callId: string; tool: string; summary: string; reasons: string[] }): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO ${S}.approvals (run_id, call_id, tool, summary, reasons, state) VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT (run_id, call_id) DO NOTHING`,
      [runId, a.callId, a.tool, a.summary, JSON.stringify(a.reasons)],
    );
    await this.db.pool.query(`UPDATE ${S}.runs SET state = 'waiting' WHERE run_id = $1 AND state = 'running'`, [runId]);
  }

  async decided(runId: string, callId: string, state: 'approved' | 'rejected' | 'timed_out', reason?: string): Promise<void> {
    await this.db.pool.query(`UPDATE ${S}.approvals SET state = $3, reason = $4, decided_at = now() WHERE run_id = $1 AND call_id = $2 AND state = 'pending'`, [runId, callId, state, reason ?? null]);
    await this.db.pool.query(
      `UPDATE ${S}.runs SET state = 'running' WHERE run_id = $1 AND state = 'waiting' AND NOT EXISTS (SELECT 1 FROM ${S}.approvals WHERE run_id = $1 AND state = 'pending')`,
      [runId],
    );
  }

  /** The pending calls a decision may name; an unknown or already decided call is a clear error. */
  async pendingCalls(runId: string, callId: string | 'all'): Promise<string[]> {
    const row = await this.get(runId);
    const pending = row.pendingApprovals.map((p) => p.callId);
    if (callId === 'all') {
      if (pending.length === 0) throw new TeamError(`run ${runId} has no pending approvals (it is ${row.state})`);
      return pending;
    }
    if (!pending.includes(callId)) {
      throw new TeamError(`run ${runId} has no pending approval ${JSON.stringify(callId)}${pending.length ? `; pending: ${pending.join(', ')}` : ` (it is ${row.state} and waits for nothing)`}`);
    }
    return [callId];
  }

  // --- workers ---------------------------------------------------------------------------------

  async registerWorker(w: { id: string; host: string; pid: number; concurrency: number }): Promise<void> {
    const r = await this.db.pool.query<{ state: string; heartbeat_at: Date }>(`SELECT state, heartbeat_at FROM ${S}.workers WHERE id = $1`, [w.id]);
    const old = r.rows[0];
    if (old && old.state === 'running' && Date.now() - old.heartbeat_at.getTime() < 15_000) {
      throw new TeamError(`a worker named ${JSON.stringify(w.id)} is already running (its last heartbeat was ${Math.round((Date.now() - old.heartbeat_at.getTime()) / 1000)} s ago): give another --id`);
    }
    await this.db.pool.query(
      `INSERT INTO ${S}.workers (id, host, pid, concurrency, state) VALUES ($1, $2, $3, $4, 'running')
       ON CONFLICT (id) DO UPDATE SET host = $2, pid = $3, concurrency = $4, state = 'running', started_at = now(), heartbeat_at = now()`,
      [w.id, w.host, w.pid, w.concurrency],
    );
  }

  async heartbeat(id: string): Promise<void> {
    await this.db.pool.query(`UPDATE ${S}.workers SET heartbeat_at = now() WHERE id = $1 AND state IN ('running', 'draining')`, [id]);
  }

  async setWorkerState(id: string, state: 'draining' | 'stopped'): Promise<void> {
    await this.db.pool.query(`UPDATE ${S}.workers SET state = $2, heartbeat_at = now() WHERE id = $1`, [id, state]);
  }

  /**
   * Workers whose runs a live worker must take over: silent for `staleMs` (killed, crashed, cut off)
   * or stopped with runs handed back. Claimed atomically, so exactly one live worker recovers each.
   */
  async claimLostWorkers(staleMs: number, self: string): Promise<string[]> {
    const r = await this.db.pool.query<{ id: string }>(
      `UPDATE ${S}.workers SET state = 'recovered'
       WHERE id <> $2 AND ((state IN ('running', 'draining') AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)) OR state = 'stopped')
       RETURNING id`,
      [staleMs, self],
    );
    return r.rows.map((x) => x.id);
  }

  async workers(): Promise<{ id: string; state: string; host: string; pid: number; heartbeatAt: string }[]> {
    const r = await this.db.pool.query<{ id: string; state: string; host: string; pid: number; heartbeat_at: Date }>(`SELECT id, state, host, pid, heartbeat_at FROM ${S}.workers ORDER BY id`);
    return r.rows.map((w) => ({ id: w.id, state: w.state, host: w.host, pid: w.pid, heartbeatAt: w.heartbeat_at.toISOString() }));
  }
}
