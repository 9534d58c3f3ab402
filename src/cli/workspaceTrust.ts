import type { McpServerApproval } from '../adapters/mcp/openMcpTools';
import { TrustStore } from '../adapters/trust/trustStore';
import { cliStateLocation } from '../adapters/ledger/stateLocation';
import type { Skill } from '../core/skills/skill';
import type { CliIo } from './cliIo';
import { terminalPrompt } from './terminalPrompt';
import path from 'node:path';

/**
 * Workspace content that would widen what the agent may do (a skill that grants commands, an MCP
 * server that starts a program on this machine) waits for a person: approved once per exact content
 * (remembered in AGENT_HARNESS_HOME/trust.json), asked on a terminal, refused without one unless the
 * run was started with --trust-workspace (which trusts for this run only).
 */
export interface CliWorkspaceTrust {
  trustSkills(skills: readonly Skill[]): Promise<ReadonlySet<string>>;
  approveServer(server: McpServerApproval): Promise<boolean>;
}

export function cliWorkspaceTrust(io: CliIo, trustWorkspace: boolean): CliWorkspaceTrust {
  const store = new TrustStore(path.join(cliStateLocation(io.env).root, 'trust.json'));
  const decide = async (kind: 'skills' | 'mcpServers', hash: string, what: string, question: string): Promise<boolean> => {
    if (await store.has(kind, hash)) return true;
    if (trustWorkspace) return true;
    if (io.interactive) {
      const answer = await terminalPrompt(`${question} [y/N] `, new AbortController().signal);
      if (answer !== undefined && /^y(es)?$/i.test(answer.trim())) {
        await store.add(kind, hash, what);
        return true;
      }
      return false;
    }
    return false;
  };
  return {
    async trustSkills(skills) {
      const trusted = new Set<string>();
      for (const s of skills) {
        const grants = [...s.commands.map((c) => `command "${c}"`), ...s.tools.map((t) => `tool ${t}`)].join(', ');
        const ok = await decide('skills', s.contentHash, `skill ${s.name} (${s.source})`, `The workspace skill "${s.name}" (${s.source}) grants ${grants}. Trust this version of it?`);
        if (ok) trusted.add(s.contentHash);
        else io.stderr(`agent-harness: skill ${s.name} (${s.source}) grants ${grants}; its grants are off until a person trusts this version (answer in a terminal, or pass --trust-workspace)\n`);
      }
      return trusted;
    },
    approveServer(server) {
      return decide('mcpServers', server.hash, `MCP server ${server.name}: ${server.commandLine}`, `The workspace MCP server "${server.name}" starts "${server.commandLine}" on this machine. Allow it?`);
    },
  };
}
