import type { ModelClient, ModelRequest, ModelStreamEvent } from '../../core/model/modelClient';
import type { TeamAlert, TeamLedger } from './teamLedger';

export interface MeterContext {
  runId: string;
  team: string;
  profile: string;
  /** The current durable step's key, so a retried ledger write is not counted twice. */
  stepKey(): string;
  /** Told about each alert threshold a call crossed (a log line, the webhook). */
  onAlerts(alerts: TeamAlert[], webhookUrl: string | undefined): void;
}

/**
 * The team's budget and ledger around the governed model client: the team's day budget is checked
 * before each call and the call is written to the shared ledger after it. Wrapped in a durable step
 * (core/durable), so a recovered run neither calls nor charges again.
 */
export function teamMeteredModel(model: ModelClient, ledger: TeamLedger, ctx: MeterContext): ModelClient {
  return {
    protocol: model.protocol,
    model: model.model,
    async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
      await ledger.checkBudget(ctx.team);
      const started = Date.now();
      for await (const ev of model.stream(request, signal)) {
        if (ev.type === 'response') {
          const { alerts, webhookUrl } = await ledger.record({
            runId: ctx.runId,
            step: ctx.stepKey(),
            team: ctx.team,
            profile: ctx.profile,
            model: ev.response.model,
            usage: ev.response.usage,
            costUsd: ev.response.costUsd ?? null,
            latencyMs: Date.now() - started,
          });
          if (alerts.length > 0) ctx.onAlerts(alerts, webhookUrl);
        }
        yield ev;
      }
    },
  };
}
