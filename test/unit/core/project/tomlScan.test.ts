import { describe, it, expect } from 'vitest';
import { scanToml } from '../../../../src/core/project/tomlScan';

describe('scanToml', () => {
  it('collects table headers, quoted keys and array-of-tables', () => {
    const facts = scanToml('[tool."pytest".ini_options]\n[[tool.mypy.overrides]]\nmodule = "x"\n[project] # main\n');
    expect([...facts.tables].sort()).toEqual(['project', 'tool.mypy.overrides', 'tool.pytest.ini_options']);
  });

  it('collects dependency names from PEP 621 arrays, optional groups, poetry tables and dependency groups', () => {
    const facts = scanToml(
      [
        '[project]',
        'dependencies = [',
        '  "Django>=5",',
        "  'requests[socks]',",
        '  "attrs",',
        ']',
        '[project.optional-dependencies]',
        'dev = ["pytest>=8", "ruff"]',
        '[tool.poetry.group.test.dependencies]',
        'hypothesis = "^6"',
        '[dependency-groups]',
        'lint = ["mypy"]',
        '[tool.black]',
        'line-length = 100',
      ].join('\n'),
    );
    expect([...facts.dependencies].sort()).toEqual(['attrs', 'django', 'hypothesis', 'mypy', 'pytest', 'requests', 'ruff']);
  });
});
