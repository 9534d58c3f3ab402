import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    "import * as vscode from 'vscode';\nexport const x = vscode;",
    "import Docker from 'dockerode';\nexport const x = Docker;",
    "import { spawn } from 'node:child_process';\nexport const x = spawn;",
    "import { execFile } from 'child_process';\nexport const x = execFile;",
    "import { OpenAIModelClient } from '../../adapters/gateway/openaiClient';\nexport const x = OpenAIModelClient;",
    "import OpenAI from 'openai';\nexport const x = OpenAI;",
    "import Anthropic from '@anthropic-ai/sdk';\nexport const x = Anthropic;",
    "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\nexport const x = Client;",
    "import { DBOS } from '@dbos-inc/dbos-sdk';\nexport const x = DBOS;",
    "import pg from 'pg';\nexport const x = pg;",
    "import { runWorker } from '../../team/teamWorker';\nexport const x = runWorker;",
  ])('fails the build when src/core imports what it must not: %s', async (code) => {
    expect(await lint('src/core/agent/planted.ts', code)).toHaveLength(1);
  });

  it('lets adapters use child_process and dockerode but not vscode', async () => {
    expect(await lint('src/adapters/sandbox/planted.ts', "import Docker from 'dockerode';\nimport { spawn } from 'node:child_process';\nexport const x = [Docker, spawn];")).toEqual([]);
    expect(await lint('src/adapters/sandbox/planted.ts', "import * as vscode from 'vscode';\nexport const x = vscode;")).toHaveLength(1);
  });

  it('allows plain Node modules in the core', async () => {
    expect(await lint('src/core/agent/planted.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;")).toEqual([]);
  });
});
