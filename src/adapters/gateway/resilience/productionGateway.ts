import type { EventSink } from '../../../core/agent/events';
import { BudgetGuard, DaySpend, localDay, Spend, type Budgets } from '../../../core/model/budgets';
import { hasPrice, PricingError, tablePricing, type Pricing, type PriceTable } from '../../../core/model/pricing';
import { BreakerRegistry, type BreakerOptions } from '../../../core/model/resilience/circuitBreaker';
import { RateLimiter, type RateLimit } from '../../../core/model/resilience/rateLimiter';
import { systemResilienceClock, type ResilienceClock } from '../../../core/model/resilience/resilienceClock';
import type { ResilientModelClient } from '../../../core/model/resilience/resilientModelClient';
import type { RunLabel } from '../../../core/model/resilience/callRecord';
import type { RetryPolicy } from '../../../core/model/resilience/retryPolicy';
import { createRedactor, type Redactor } from '../../../core/trace/redact';
import { RunContextTracker } from '../../../core/trace/runContext';
import { TraceRecorder } from '../../../core/trace/traceRecorder';
import { UsageLedger } from '../../ledger/usageLedger';
import type { StateLocation } from '../../ledger/stateLocation';
import { ledgerSpentOn } from '../../ledger/dayTotals';
import { JsonlTraceWriter } from '../../trace/jsonlTraceWriter';
import { otlpExporterFromEnv, type OtlpTraceExporter } from '../../trace/otlpExporter';
import { createResilientModelClient, type ModelEndpoint } from './createResilientClient';
import { FileBreakerStore } from './fileBreakerStore';

/**
 * The gateway's long-lived parts, made once per VS Code window or CLI process: breakers (persisted),
 * rate limits, session and day spend, the usage ledger, trace writers and the redactor. Runs share
 * them, so a breaker opened by one run is open for the next and limits hold across runs.
 */
export interface GatewayServices {
  location: StateLocation;
  redact: Redactor;
  breakers: BreakerRegistry;
  rateLimiter?: RateLimiter;
  ledger: UsageLedger;
  /** The user's prices first, then the maintained catalog: a model in neither has no price. */
  pricing: Pricing;
  traces: JsonlTraceWriter;
  otlp?: OtlpTraceExporter;
  sessionSpend: Spend;
  daySpend: DaySpend;
  /** Seeds `daySpend` from the ledger once per local day: only runs with a day budget need it. */
  loadDaySpend(): Promise<void>;
  clock: ResilienceClock;
  /** Waits until the ledger, traces, OTLP batches and breaker state are written. */
  flush(): Promise<void>;
}

export interface GatewayServicesInput {
  location: StateLocation;
  /** The keys and auth header values to redact everywhere. More can be added with `redact.addSecret`. */
  secrets: readonly (string | undefined)[];
  /** For the standard OTEL_EXPORTER_OTLP_* variables; the extension passes its own settings instead. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the environment's OTLP exporter (the extension builds one from its settings). */
  otlp?: OtlpTraceExporter;
  breaker?: Partial<BreakerOptions>;
  /** Per model name. */
  rateLimits?: Readonly<Record<string, RateLimit>>;
  version?: string;
  clock?: ResilienceClock;
  /** The user's prices (agentHarness.gateway.prices, --prices FILE), USD per million tokens, over the catalog's. */
  prices?: PriceTable;
  /** The gateway URL, a hint for the catalog (OpenRouter's names are OpenRouter's prices). */
  gatewayUrl?: string;
  /** Told once when traces cannot be exported (or the OTLP configuration cannot be honoured). */
  onTraceExportError?: (message: string) => void;
}

export async function createGatewayServices(input: GatewayServicesInput): Promise<GatewayServices> {
  const clock = input.clock ?? systemResilienceClock;
  const redact = createRedactor(input.secrets);
  // The catalog is its own bundle (dist/prices.js), read on the first run only.
  const { genaiPricesPricing } = await import('../../prices/genaiPricesCatalog');
  const pricing = tablePricing(input.prices ?? {}, genaiPricesPricing(input.gatewayUrl));
  const ledger = new UsageLedger(input.location.usageDir, redact);
  const traces = new JsonlTraceWriter(input.location.tracesDir);
  const otlp = input.otlp ?? (input.env ? otlpExporterFromEnv(input.env, input.version, input.onTraceExportError) : undefined);
  const breakers = await BreakerRegistry.create({ options: input.breaker, clock, store: new FileBreakerStore(input.location.breakerStateFile) });
  const rateLimiter = input.rateLimits && Object.keys(input.rateLimits).length > 0 ? new RateLimiter(input.rateLimits, clock) : undefined;
  // Today's spend so far comes from the ledger, so a day budget holds across windows and CLI runs. It is
  // read only for a run with a day budget, from running totals (dayTotals.ts), not the month's rows.
  const now = () => new Date(clock.now());
  const daySpend = new DaySpend(now);
  let loaded: { day: string; done: Promise<void> } | undefined;
  const loadDaySpend = (): Promise<void> => {
    const day = localDay(now());
    if (loaded?.day !== day) {
      const done = ledger.flush().then(async () => daySpend.seed(await ledgerSpentOn(input.location.usageDir, day)));
      loaded = { day, done };
      done.catch(() => (loaded = undefined));
    }
    return loaded.done;
  };
  return {
    location: input.location,
    redact,
    breakers,
    rateLimiter,
    ledger,
    pricing,
    traces,
    otlp,
    sessionSpend: new Spend(),
    daySpend,
    loadDaySpend,
    clock,
    flush: async () => {
      await Promise.all([ledger.flush(), traces.flush(), breakers.flush(), otlp?.flush()]);
    },
  };
}

export interface RunGatewayInput {
  primary: ModelEndpoint;
  fallbacks?: readonly ModelEndpoint[];
  budgets?: Budgets;
  /**
   * A run cost limit that nobody chose (a built-in profile's default): it applies when the models
   * have prices, and is dropped with a notice when one has none, where an explicit budget is refused.
   */
  defaultRunCostUsd?: number;
  /** Overrides the services' pricing (tests). */
  pricing?: Pricing;
  retry?: Partial<RetryPolicy>;
  idleTimeoutMs?: number;
  /** The sandbox session commands run in, for the trace (e.g. the container name, or `local`). */
  sandboxSession?: () => string | undefined;
  /** A run that is not a task run (a code review, an eval attempt): in the ledger and on every trace record. */
  label?: RunLabel;
}

/** What one run needs: the model client, and the sinks that give the ledger its context and write the trace. */
export interface RunGateway {
  model: ResilientModelClient;
  /** Add to the run's sinks (before any that might throw; they never do themselves). */
  sinks: EventSink[];
  tracker: RunContextTracker;
  /** What the person should know about this run's gateway (a default cost limit that cannot apply). */
  notices: string[];
  /** Also for the approval layer and the sandbox: `trace.approval(...)`, `trace.sandboxCommand(...)`. */
  trace: TraceRecorder;
  traceFile(runId: string): string;
}

/** One client per run: its run budget is fresh, while session and day spend come from the services. */
export async function createRunGateway(services: GatewayServices, input: RunGatewayInput): Promise<RunGateway> {
  for (const ep of [input.primary, ...(input.fallbacks ?? [])]) {
    services.redact.addSecret(ep.apiKey);
    for (const v of Object.values(ep.config.headers ?? {})) services.redact.addSecret(v);
  }
  const tracker = new RunContextTracker(input.label);
  const otlp = services.otlp;
  const trace = new TraceRecorder({
    write: otlp
      ? (r) => {
          services.traces.write(r);
          otlp.write(r);
        }
      : services.traces.write,
    redact: services.redact,
    sandboxSession: input.sandboxSession,
    ...(input.label ? { label: input.label } : {}),
  });
  const pricing = input.pricing ?? services.pricing;
  const unpriced = [input.primary, ...(input.fallbacks ?? [])].map((ep) => ep.config.model).filter((m) => !hasPrice(m, pricing));
  // A cost budget cannot protect a model whose price is unknown: refused before anything is sent.
  const costBudget = input.budgets?.run?.costUsd !== undefined || input.budgets?.day?.costUsd !== undefined || input.budgets?.session?.costUsd !== undefined;
  if (costBudget && unpriced.length > 0) throw new PricingError(unpriced);
  const notices: string[] = [];
  let budgets = input.budgets ?? {};
  if (input.defaultRunCostUsd !== undefined) {
    if (unpriced.length === 0) budgets = { ...budgets, run: { ...budgets.run, costUsd: input.defaultRunCostUsd } };
    else notices.push(`the profile's default cost limit of $${input.defaultRunCostUsd} cannot apply: the price of ${unpriced.map((m) => `"${m}"`).join(', ')} is unknown (its cost shows as unknown); the token limit still applies`);
  }
  if (budgets.day) await services.loadDaySpend();
  // Always a guard, even without limits: session and day spend must count every run for the next one.
  const budget = new BudgetGuard({ limits: budgets, session: services.sessionSpend, day: services.daySpend });
  const model = await createResilientModelClient({
    primary: input.primary,
    fallbacks: input.fallbacks,
    retry: input.retry,
    breakers: services.breakers,
    rateLimiter: services.rateLimiter,
    idleTimeoutMs: input.idleTimeoutMs,
    budget,
    pricing,
    clock: services.clock,
    context: tracker.context,
    onCall: (r) => {
      services.ledger.append(r);
      trace.onModelCall(r);
    },
  });
  return { model, sinks: [tracker.sink, trace.sink], tracker, notices, trace, traceFile: (runId) => services.traces.pathFor(runId) };
}
