/**
 * Names what was skipped at the end of `npm test`: vitest's default reporter gives only a count per
 * file, and a suite that needs a Debian server (Mosquitto, PostgreSQL, Chromium) or an opt-in
 * setting says which in its name. A suite skipped whole is named once; with a `-t` filter nothing
 * is listed (everything else is skipped then).
 */
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';

export default class SkippedByName implements Reporter {
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.filtered = vitest.config.testNamePattern !== undefined;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (this.filtered) return;
    const lines: string[] = [];
    for (const m of modules) {
      const named = new Set<TestSuite>();
      for (const t of m.children.allTests('skipped')) {
        if (inFailedSuite(t)) continue;
        const whole = outermostSkipped(t);
        if (whole === undefined) lines.push(`${m.relativeModuleId} › ${t.fullName}`);
        else if (!named.has(whole)) {
          named.add(whole);
          const n = [...whole.children.allTests()].length;
          lines.push(`${m.relativeModuleId} › ${whole.fullName} (${n} ${n === 1 ? 'test' : 'tests'})`);
        }
      }
    }
    if (lines.length > 0) process.stdout.write(`\n Skipped, by name (${lines.length}):\n${lines.map((l) => `   ↓ ${l}`).join('\n')}\n\n`);
  }
}

/** A suite whose beforeAll threw has its tests marked skipped by the runner: failures (the default reporter shows them), not skips. */
function inFailedSuite(t: TestCase): boolean {
  for (let p = t.parent; p.type === 'suite'; p = p.parent) if (p.state() === 'failed') return true;
  return false;
}

/** The outermost suite around the test whose every test was skipped, if any. */
function outermostSkipped(t: TestCase): TestSuite | undefined {
  let found: TestSuite | undefined;
  for (let p = t.parent; p.type === 'suite'; p = p.parent) if ([...p.children.allTests()].every((x) => x.result().state === 'skipped')) found = p;
  return found;
}
