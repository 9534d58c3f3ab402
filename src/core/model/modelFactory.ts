import type { EventSink } from '../agent/events';
import type { Budgets } from './budgets';
import type { ModelClient } from './modelClient';
import type { RunLabel } from './resilience/callRecord';

/** What one run, resume, code review or eval asks of the gateway. */
export interface RunModelRequest {
  /** The model chosen for this run (a picker, --model, the profile); absent: the gateway's configured model. */
  model?: string;
  budgets: Budgets;
  /** A built-in profile's cost limit: applied to priced models, dropped with a notice otherwise (see resolveBudgets). */
  defaultRunCostUsd?: number;
  /** Work that is not a task run (a code review, an eval attempt, a team run): in the ledger and on every trace record. */
  label?: RunLabel;
}

/** A governed client for one run, and the sinks that give the ledger its run and step and write the trace. */
export interface OpenedModel {
  model: ModelClient;
  sinks: EventSink[];
  /** What the person should know about this run's gateway (a default cost limit that cannot apply). */
  notices: string[];
}

/**
 * The only way any caller gets a model client for work (src/adapters/gateway/gatewayFactory.ts
 * implements it): retries, fallbacks, breakers, budgets checked before the first call, the usage
 * ledger and the trace come with every client.
 */
export type ModelFactory = (request: RunModelRequest) => Promise<OpenedModel>;
