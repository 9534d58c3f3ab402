import { describe, expect, it } from 'vitest';
import { globPrefilter } from '../../../../src/adapters/search/globPrefilter';

describe('globPrefilter', () => {
  it('passes a name glob to rg whole', () => {
    expect(globPrefilter('*.{ts,js}', '')).toEqual({ nameGlob: '*.{ts,js}', pruneRules: [] });
    expect(globPrefilter(undefined, '')).toEqual({ pruneRules: [] });
  });

  it('prunes the folders a fixed-depth prefix cannot reach, below the start folder', () => {
    expect(globPrefilter('src/pkg1*/**/*.ts', 'src')).toEqual({ nameGlob: '*.ts', pruneRules: ['/src/*', '!/src/pkg1*/'] });
    // All segments fixed: nothing below the deepest folder can match either.
    expect(globPrefilter('src/*/*.ts', 'src')).toEqual({ nameGlob: '*.ts', pruneRules: ['/src/*', '!/src/*/', '/src/*/*/'] });
    expect(globPrefilter('src/*.ts', 'src')).toEqual({ nameGlob: '*.ts', pruneRules: ['/src/*/'] });
    expect(globPrefilter('*/deep/*.ts', '')).toEqual({ nameGlob: '*.ts', pruneRules: ['/*', '!/*/', '/*/*', '!/*/deep/', '/*/deep/*/'] });
  });

  it('stops at ** and never filters names by a ** segment', () => {
    expect(globPrefilter('src/**', 'src')).toEqual({ nameGlob: undefined, pruneRules: [] });
    expect(globPrefilter('**/cache/*.json', '')).toEqual({ nameGlob: '*.json', pruneRules: [] });
  });

  it('writes no gitignore rules for what gitignore cannot say: braces, escapes, negation, comments', () => {
    expect(globPrefilter('src/{a,b}/*.ts', 'src')).toEqual({ pruneRules: [] });
    expect(globPrefilter('src/\\*x/*.ts', 'src').pruneRules).toEqual([]);
    expect(globPrefilter('!src/a/*.ts', '').pruneRules).toEqual([]);
    expect(globPrefilter('#x/a/*.ts', '').pruneRules).toEqual([]);
    // A start folder that is not the glob's prefix (never from find_files) gets no rules.
    expect(globPrefilter('src/a/*.ts', 'lib').pruneRules).toEqual([]);
  });
});
