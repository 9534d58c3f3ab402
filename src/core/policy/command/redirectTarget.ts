import { isGitInternalPath, isProtectedPath, isSecretFileName } from '../protectedPaths';
import type { Finding } from './policyTypes';
import { clip, type WordValue } from './shellWords';

const WRITE_OPS = new Set(['>', '>>', '>|', '<>']);

/**
 * Judges a file redirection by its operator and evaluated target: writing to a protected path is
 * `deny`; /dev/null (discard output, read nothing) is the one target that passes; every other read,
 * write or bash-only form is `ask`. Returns the target word's own findings plus these.
 */
export function judgeRedirectTarget(op: string, word: WordValue, redirectText: string, configDirName: string): Finding[] {
  const target = word.value;
  const findings: Finding[] = [...word.findings];
  const bashOnly = op === '&>' || op === '&>>' || op === '>&' || op === '<&';
  const writes = WRITE_OPS.has(op) || op === '&>' || op === '&>>' || op === '>&';
  if (writes && isProtectedPath(target, configDirName)) {
    findings.push({ verdict: 'deny', reason: `writes to the protected path ${JSON.stringify(target)} through a redirection (it configures the editor, git or the agent)`, risk: 'protected' });
  }
  if (findings.some((f) => f.verdict === 'deny')) {
    // Already refused; a second "writes to" reason would only repeat it.
  } else if (bashOnly) {
    findings.push({ verdict: 'ask', reason: `"${op}" to a file means different things in bash and POSIX sh (${clip(redirectText)})`, risk: 'write' });
  } else if (word.literal && target === '/dev/null' && (op === '>' || op === '>>' || op === '<')) {
    // Discarding output or reading nothing: the one redirection target that is safe by construction.
  } else if (op === '<') {
    const secret = isGitInternalPath(target) || isSecretFileName(target.split('/').pop() ?? '') || target.startsWith('~') || target.startsWith('/');
    findings.push({ verdict: 'ask', reason: `reads ${JSON.stringify(target)} through an input redirection`, risk: secret ? 'secret' : 'syntax' });
  } else if (writes) {
    findings.push({ verdict: 'ask', reason: `writes to ${JSON.stringify(target)} through a redirection (${op})`, risk: target.startsWith('/') || target.startsWith('~') ? 'protected' : 'write' });
  } else {
    findings.push({ verdict: 'ask', reason: `a redirection the policy does not understand (${clip(redirectText)})` });
  }
  return findings;
}
