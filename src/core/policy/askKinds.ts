/**
 * Why a call needs a person, by kind. The command policy's risks (policyTypes.ts Risk) plus what only
 * the approval rules know: a protected or credentials path, a manifest the run changed, a tainted
 * run, a tool the profile asks about.
 */
export type AskKind =
  | 'code'
  | 'network'
  | 'destructive'
  | 'protected'
  | 'secret'
  | 'manifest'
  | 'tainted'
  | 'write'
  | 'unlisted'
  | 'syntax'
  | 'local'
  | 'tool';

/** Kinds no auto-approval tier answers: a person must look, whatever the settings say. */
export const PERSON_ONLY_KINDS: ReadonlySet<AskKind> = new Set(['code', 'network', 'destructive', 'protected', 'secret', 'manifest', 'tainted']);
