/**
 * Reads tool results for the two things that should make a run more careful: text that addresses the
 * agent with instructions (prompt injection in a README, an issue, a web page, command output), and
 * credentials. Either taints the run (runSecurity.ts): from then on commands that can run code or
 * reach the network ask a person, even under auto-approval.
 *
 * These are heuristics and meant to err towards tainting: a false alarm costs a question, a miss costs
 * what the injected text asked for. Ordinary documentation ("run the following command") does not
 * match; text that speaks to an AI agent or tries to replace its instructions does.
 */
const INSTRUCTION_PATTERNS: readonly { re: RegExp; what: string }[] = [
  { re: /\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|every\s+)?(previous|prior|above|earlier|preceding|system|original)\s+(instructions?|prompts?|rules|messages|directions|guidelines)/i, what: 'text telling the agent to ignore its instructions' },
  { re: /\b(new|updated|real|actual|hidden|secret|additional)\s+(system\s+)?(instructions?|prompt|directives?)\s*(:|for\s+(the\s+)?(ai|agent|assistant|model))/i, what: 'text claiming to be new instructions for the agent' },
  { re: /<\/?\s*(system|system-prompt|instructions?|assistant|admin|im_start|im_end)\s*>|\[\/?(INST|SYSTEM)\]|<\|im_start\|>/i, what: 'chat-template or system markup in content' },
  { re: /\b(you are now|from now on,? you (are|will|must)|your new (role|task|goal) is)\b/i, what: 'text trying to change what the agent is' },
  {
    re: /\b(ai|llm|coding|code|language[- ]model|autonomous)\s+(agents?|assistants?|models?)\b[^\n]{0,160}\b(must|should|need to|are (required|instructed) to|have to|shall)\b[^\n]{0,80}\b(run|execute|call|download|curl|wget|delete|remove|send|upload|post|push|install|write|modify|add)\b/i,
    what: 'instructions addressed to AI agents',
  },
  { re: /\b(attention|note|message|important|instructions?)\s+(to|for)\s+(the\s+)?(ai|agent|assistant|llm|claude|gpt|copilot|cursor|codex|gemini)\b/i, what: 'a message addressed to the agent' },
  { re: /\b(claude|gpt|copilot|cursor|codex|gemini|the assistant|the ai|the agent)\s*[,:]\s*(please\s+)?(run|execute|ignore|delete|download|send|curl|print|reveal|write)\b/i, what: 'an order addressed to the agent' },
  { re: /\b(exfiltrate|leak|send|post|upload)\b[^\n]{0,60}(\b(api[_ -]?keys?|tokens?|secrets?|credentials|environment variables)\b|\.env\b)/i, what: 'text asking to send credentials somewhere' },
];

/** Assignments of credential-looking values, as in a .env file. */
const SECRET_ASSIGNMENT = /^\s*(export\s+)?[A-Z][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE)[A-Z0-9_]*\s*[=:]\s*["']?[^\s"'$]{8,}/m;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export interface TaintFinding {
  kind: 'instructions' | 'secret';
  what: string;
}

/** Scans at most this much of one result: injected text has to be somewhere a model reads. */
const MAX_SCANNED = 256 * 1024;

export function findTaint(text: string, looksLikeKey: (s: string) => boolean): TaintFinding | undefined {
  const s = text.length > MAX_SCANNED ? `${text.slice(0, MAX_SCANNED / 2)}\n${text.slice(-MAX_SCANNED / 2)}` : text;
  for (const p of INSTRUCTION_PATTERNS) if (p.re.test(s)) return { kind: 'instructions', what: p.what };
  if (PRIVATE_KEY.test(s)) return { kind: 'secret', what: 'a private key' };
  if (SECRET_ASSIGNMENT.test(s)) return { kind: 'secret', what: 'a credential assignment (as in a .env file)' };
  if (looksLikeKey(s)) return { kind: 'secret', what: 'a string shaped like an API key or token' };
  return undefined;
}
