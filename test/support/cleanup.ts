import { afterAll } from 'vitest';
import { removeTempDirs } from './fixtures';

// Every test file: the folders tempDir() made are removed once its tests are done.
afterAll(removeTempDirs);
