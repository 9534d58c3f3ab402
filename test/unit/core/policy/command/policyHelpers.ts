import path from 'node:path';
import { checkCommand } from '../../../../../src/core/policy/command/checkCommand';
import type { CommandPolicyConfig, CommandVerdict } from '../../../../../src/core/policy/command/policyTypes';
import { locateWasmDirs } from '../../../../../src/core/policy/command/wasmLocation';

/** The parser's wasm files, found from the repository root the way a run from source finds them. */
export const WASM_DIRS = locateWasmDirs([path.resolve(__dirname, '../../../../..')]);

export function policy(allow: readonly string[], extra: Partial<CommandPolicyConfig> = {}): CommandPolicyConfig {
  return { mode: 'container', allow, wasmDirs: WASM_DIRS, ...extra };
}

export function check(line: string, allow: readonly string[], extra: Partial<CommandPolicyConfig> = {}): Promise<CommandVerdict> {
  return checkCommand(line, policy(allow, extra));
}
