import type { ApprovalRequest, ApprovalResponse, Approver } from './approvalsWrapper';

/**
 * A text approver for terminals: it shows the call and its reasons and reads one answer line. It knows
 * nothing about the terminal itself; the CLI passes a `prompt` that writes the question and reads a
 * line (resolving undefined at end of input, which refuses).
 */
export function createPromptApprover(prompt: (question: string, signal: AbortSignal) => Promise<string | undefined>, maxTries = 3): Approver {
  return {
    async request(req, signal) {
      let question = formatApprovalRequest(req);
      for (let i = 0; i < maxTries; i++) {
        const line = await prompt(question, signal);
        if (line === undefined) return { approved: false, reason: 'no answer (end of input)' };
        const res = parseApprovalAnswer(line, req);
        if (res) return res;
        question = `Please answer ${choices(req)}: `;
      }
      return { approved: false, reason: 'no valid answer' };
    },
  };
}

/** The question text: tool, arguments (as JSON, long values cut for display only), reasons and choices. */
export function formatApprovalRequest(req: ApprovalRequest): string {
  const args = JSON.stringify(req.args, (_k, v: unknown) => (typeof v === 'string' && v.length > 2000 ? `${v.slice(0, 2000)}... [${v.length} chars]` : v), 2);
  const why = req.reasons.map((r) => `  - ${printable(r)}`).join('\n');
  return `\nApprove ${printable(req.tool)} (${req.kind})?\n${args}\nWhy approval is needed:\n${why}\n${choices(req)}: `;
}

function choices(req: ApprovalRequest): string {
  const remember = [req.grantScopes.includes('run') ? 'r = always this run' : '', req.grantScopes.includes('workspace') ? 'w = always in this workspace' : ''].filter(Boolean);
  return `[y = yes, n = no (optionally "n reason")${remember.length > 0 ? `, ${remember.join(', ')}` : ''}]`;
}

/** Undefined for an answer that is not one of the offered choices, so the caller asks again. */
export function parseApprovalAnswer(line: string, req: ApprovalRequest): ApprovalResponse | undefined {
  const text = line.trim();
  const word = text.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (word === 'y' || word === 'yes') return { approved: true, key: req.key };
  if (word === 'n' || word === 'no') {
    const reason = text.slice(text.split(/\s+/)[0]!.length).trim();
    return reason ? { approved: false, reason } : { approved: false };
  }
  if (word === 'r' && req.grantScopes.includes('run')) return { approved: true, key: req.key, remember: 'run' };
  if (word === 'w' && req.grantScopes.includes('workspace')) return { approved: true, key: req.key, remember: 'workspace' };
  return undefined;
}

/** Reasons can quote model-written text; control characters must not reach the terminal as escapes. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
