/**
 * Test and bench helper: the shipped sea grids of fixtures/geo, read from the repository root (the
 * working directory of vitest and of the bench runner). Runtime code reads them through app/refdata.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSeaGrids, type GridFileResult } from './grid-file.js';

export function fixtureSeaGrids(): GridFileResult {
  return loadSeaGrids((file) => readFileSync(join('fixtures', 'geo', file), 'utf8'));
}
