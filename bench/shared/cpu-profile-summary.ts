/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the share of busy time (idle excluded) by
 * self time per function and per module group (a package of node_modules, a Baton package or app,
 * node's internals, GC), and the inclusive share of functions whose name matches `--inclusive`.
 * Only samples from the first one whose stack holds `--from <function>` on are counted, so module
 * loading and other start-up work can be left out.
 *   tsx bench/shared/cpu-profile-summary.ts <file.cpuprofile> [--from startRun] [--top 15] [--inclusive startRun,resolve]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary <file.cpuprofile> [--from fn] [--top n] [--inclusive a,b]');
const flag = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const top = Number(flag('top') ?? 15);
const from = flag('from');
const inclusiveNames = (flag('inclusive') ?? '').split(',').filter(Boolean);

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stackOf = (id: number): ProfileNode[] => {
  const stack: ProfileNode[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur)!);
  return stack;
};

function group(url: string, name: string): string {
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return name;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const baton = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (baton) return `${baton[1]}/${baton[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url ? 'other' : '(native)';
}

const self = new Map<string, number>();
const groups = new Map<string, number>();
const inclusive = new Map<string, number>();
/** inclusive time of every Baton function (packages/, apps/), by name and file */
const batonInclusive = new Map<string, number>();
let total = 0;
let idle = 0;
let counting = from === undefined;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  const dt = profile.timeDeltas[i] ?? 0;
  const stack = stackOf(id);
  if (!counting && stack.some((n) => n.callFrame.functionName === from)) counting = true;
  if (!counting) continue;
  const leaf = stack[0]!;
  const name = leaf.callFrame.functionName || '(anonymous)';
  total += dt;
  if (name === '(idle)') {
    idle += dt;
    continue;
  }
  const key = `${name} ${leaf.callFrame.url.replace(/^.*\/(node_modules|packages|apps)\//, '$1/')}:${leaf.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const g = group(leaf.callFrame.url, name);
  groups.set(g, (groups.get(g) ?? 0) + dt);
  const seen = new Set<string>();
  for (const n of stack) {
    const m = /\/((?:packages|apps)\/[^/]+\/dist\/.*)$/.exec(n.callFrame.url);
    if (m && n.callFrame.functionName) {
      const k = `${n.callFrame.functionName} ${m[1]}`;
      if (!seen.has(k)) {
        seen.add(k);
        batonInclusive.set(k, (batonInclusive.get(k) ?? 0) + dt);
      }
    }
    for (const wanted of inclusiveNames) {
      if (n.callFrame.functionName === wanted && !seen.has(wanted)) {
        seen.add(wanted);
        inclusive.set(wanted, (inclusive.get(wanted) ?? 0) + dt);
      }
    }
  }
}
const busy = total - idle;
const pct = (v: number) => `${((100 * v) / busy).toFixed(1)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled${from ? ` (from the first ${from})` : ''}, idle ${((100 * idle) / total).toFixed(0)} %, busy ${(busy / 1e6).toFixed(1)} s`);
console.log('\nby module group (self time, share of busy time):');
for (const [g, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v).padStart(7)}  ${g}`);
console.log('\ntop functions (self time):');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v).padStart(7)}  ${k}`);
console.log('\nBaton functions, inclusive (the function and everything it called):');
for (const [k, v] of [...batonInclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v).padStart(7)}  ${k}`);
if (inclusiveNames.length) {
  console.log('\ninclusive (function and everything it called):');
  for (const name of inclusiveNames) console.log(`  ${pct(inclusive.get(name) ?? 0).padStart(7)}  ${name}`);
}
