import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const files = sources(root).map((path) => ({ path, name: relative(root, path).split(sep).join('/'), ast: parse(path) }));

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Every module a file imports or re-exports, statically or with `import()`. */
function importsOf(file: ts.SourceFile): string[] {
  const found: string[] = [];
  walk(file, (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [target] = node.arguments;
      // A computed dynamic import cannot be checked: it fails the test instead of slipping through.
      found.push(target && ts.isStringLiteralLike(target) ? target.text : '<computed import>');
    }
  });
  return found;
}

/** Where an import lands inside src/ ('domain/model.ts', 'config.ts'), or the package name. */
function resolve(from: string, target: string): { local: string } | { pkg: string } {
  if (!target.startsWith('.')) return { pkg: target };
  const path = relative(root, join(dirname(from), target)).split(sep).join('/');
  return { local: path.replace(/\.js$/, '.ts') };
}

/** The top-level part of src/ a file belongs to: a folder ('db', 'fake-vk') or a file ('config.ts'). */
const areaOf = (name: string): string => name.split('/')[0]!;
const areas = [...new Set(files.map((file) => areaOf(file.name)))];

/** What each part of src/ may import from the others; the test fails for a part not listed. */
const allowed: Record<string, readonly string[]> = {
  'domain': [],
  'config.ts': ['domain'],
  'logger.ts': ['log-safe-error.ts'],
  'log-safe-error.ts': [],
  'checklist-file.ts': ['domain'],
  'db': ['domain', 'logger.ts'],
  'outbox': ['domain', 'logger.ts', 'log-safe-error.ts'],
  'scheduler': ['domain', 'outbox', 'logger.ts'],
  'reports': ['domain', 'logger.ts'],
  // The administrators' web page renders domain models.
  'http': ['domain', 'logger.ts'],
  // The update loop sends the replies each update queued in the outbox.
  'vk': ['domain', 'http', 'outbox', 'logger.ts', 'log-safe-error.ts'],
  'max': ['domain', 'http', 'vk', 'logger.ts', 'log-safe-error.ts'],
  // The fake services speak HTTP only; they know nothing of the bot.
  'fake-vk': ['http'],
  // The fake MAX checks keyboards and updates with the MAX adapter's own schemas.
  'fake-max': ['http', 'max'],
  // The sandbox page drives the fake VK and runs the jobs of a bot it is given.
  'sandbox': ['fake-vk', 'compose', 'http', 'logger.ts'],
  // db-export.ts reads the database directly (a backup, issue 18).
  'cli': ['compose', 'config.ts', 'db', 'domain', 'logger.ts', 'outbox'],
  // Wiring: the only code that knows every adapter.
  'compose': areas.filter((area) => !['main.ts', 'cli', 'compose'].includes(area)),
  'main.ts': ['compose', 'sandbox', 'config.ts', 'logger.ts', 'log-safe-error.ts'],
};
/** A string or a piece of a template with Cyrillic in it. */
const isRussianText = (node: ts.Node): node is ts.StringLiteralLike | ts.TemplateLiteralLikeNode =>
  (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && /[А-Яа-яЁё]/.test(node.text);

/** Packages the domain may use: it is plain TypeScript with zod schemas. */
const DOMAIN_PACKAGES = ['zod'];

describe('architecture', () => {
  it('lists every part of src/ and what it may import', () => {
    expect(areas.filter((area) => !(area in allowed))).toEqual([]);
    expect(areas).toEqual(expect.arrayContaining(['domain', 'db', 'vk', 'outbox', 'scheduler', 'reports', 'http', 'cli', 'sandbox', 'fake-vk', 'compose', 'config.ts']));
  });

  it('every import, static or dynamic, goes only where its part may go; the domain uses no package but zod', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const area = areaOf(file.name);
      for (const target of importsOf(file.ast)) {
        const resolved = resolve(file.path, target);
        if ('pkg' in resolved) {
          if (area === 'domain' && !DOMAIN_PACKAGES.includes(resolved.pkg)) offenders.push(`${file.name} → ${target}`);
          continue;
        }
        const targetArea = areaOf(resolved.local);
        if (targetArea !== area && !(allowed[area] ?? []).includes(targetArea)) offenders.push(`${file.name} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('sees dynamic imports (main.ts loads the sandbox only without a token)', () => {
    const main = files.find((file) => file.name === 'main.ts')!;
    expect(importsOf(main.ast)).toContain('./compose/sandbox.js');
  });

  it('keeps Russian text in the texts files of each feature', () => {
    /**
     * Files whose Cyrillic strings are not messages, and why. Everything else the bot says lives
     * in a texts.ts (domain/conversation, domain/admin, domain/summary, domain/reminders).
     */
    const allowList: Record<string, string> = {
      'domain/russian.ts': 'plural forms of Russian words',
      'domain/admin/commands.ts': 'the words administrators type',
      'domain/admin/roster.ts': 'column names read in roster files',
      'domain/admin/report.ts': 'export column headers and cell words; to move into admin texts',
      'domain/validation/class-list.ts': 'words read in class lists',
      'domain/validation/russian-date.ts': 'month names and words like «вчера» read in dates, the one Russian date parser (issue 13)',
      'domain/reminders/holidays.ts': 'the names of public holidays in the calendar data',
      'domain/reminders/dagestan.ts': 'the names of Dagestan’s own days off in the calendar data',
      'sandbox/personas.ts': 'the sandbox’s made-up people',
      'sandbox/jobs.ts': 'the sandbox page’s reports of the jobs it ran',
      'sandbox/web.ts': 'the sandbox page’s note on a made-up person',
      'compose/sandbox.ts': 'the sandbox’s made-up school',
      'fake-vk/methods.ts': 'the fake community’s name',
      'fake-max/server.ts': 'the fake MAX’s own answers',
      'max/updates.ts': 'the MAX adapter (issue 14) is being built',
      'config.ts': 'an example school name in a configuration error',
      'domain/parents.ts': 'the parents figures’ «из», to move into a texts file (issue 12)',
      'domain/summary/chart.ts': 'chartTexts, to move into summary texts (issue 19)',
      'http/admin-page-view.ts': 'the web page’s words, to move into a texts file (issue 19)',
      'reports/summary-chart.ts': 'the chart’s «из», to move with chartTexts (issue 19)',
    };
    const offenders: string[] = [];
    for (const file of files) {
      if (file.name.endsWith('/texts.ts') || file.name in allowList) continue;
      walk(file.ast, (node) => {
        if (!isRussianText(node)) return;
        const { line } = file.ast.getLineAndCharacterOfPosition(node.getStart());
        offenders.push(`${file.name}:${line + 1} ${node.text.slice(0, 40)}`);
      });
    }
    expect(offenders).toEqual([]);
    // An allow-listed file that no longer needs it is taken off the list.
    const stale = Object.keys(allowList).filter((name) => {
      const file = files.find((candidate) => candidate.name === name);
      let cyrillic = false;
      if (file) walk(file.ast, (node) => (cyrillic ||= isRussianText(node)));
      return !cyrillic;
    });
    expect(stale).toEqual([]);
  });
});
