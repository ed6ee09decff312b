/**
 * Docs are tests: every rule has exactly one page, every page a rule; each page has the required
 * headings, and its ::: incorrect / ::: correct examples are run through the rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../../server/src/rules';
import { ruleDocsUrl } from '../../server/src/rules/lib/docs-url';
import { findingsOf } from '../support/rule-tester';
import { repoRoot } from '../support/built';

const docsDir = path.join(repoRoot, 'docs/rules');
const ruleFilesDir = path.join(repoRoot, 'server/src/rules');
const requiredHeadings = ['## Rule Details', '## Fix', '## When Not To Use It'];

interface Example { code: string; files?: Record<string, number | string> }

/**
 * The ::: incorrect / ::: correct examples of a page. Rules that read the build context show it in blocks
 * before the Dockerfile: ```context (one `path size` per line, size as `12 MB`, `3 kB` or bytes; a bare
 * path is a small file) and ```dockerignore (the file's content).
 */
function examples(page: string, kind: 'incorrect' | 'correct'): Example[] {
  const pattern = new RegExp(`::: ${kind}\\s*\\n+((?:\`\`\`(?:context|dockerignore)\\n[\\s\\S]*?\`\`\`\\s*\\n+)*)\`\`\`dockerfile\\n([\\s\\S]*?)\`\`\`\\s*\\n+:::`, 'g');
  return [...page.matchAll(pattern)].map((m) => ({ code: m[2], files: m[1] ? contextFiles(m[1]) : undefined }));
}

function contextFiles(blocks: string): Record<string, number | string> {
  const files: Record<string, number | string> = {};
  for (const [, lang, body] of blocks.matchAll(/```(context|dockerignore)\n([\s\S]*?)```/g)) {
    if (lang === 'dockerignore') { files['.dockerignore'] = body; continue; }
    for (const line of body.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const [file, amount, unit] = line.split(/\s+/);
      const factor = unit === 'GB' ? 1e9 : unit === 'MB' ? 1e6 : unit === 'kB' ? 1e3 : 1;
      files[file] = amount === undefined ? 'x' : Math.round(Number(amount) * factor);
    }
  }
  return files;
}

test('every doc page has a rule and every rule file is registered', () => {
  const pages = readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'TEMPLATE.md').map((f) => f.replace(/\.md$/, '')).sort();
  assert.deepEqual(pages, allRules.map((r) => r.meta.id).sort());
  const ruleFiles = readdirSync(ruleFilesDir).filter((f) => f.endsWith('.ts') && !['index.ts', 'runner.ts', 'types.ts'].includes(f)).map((f) => f.replace(/\.ts$/, '')).sort();
  assert.deepEqual(ruleFiles, allRules.map((r) => r.meta.id).sort(), 'rule files and registry differ');
});

for (const rule of allRules) {
  describe(`docs/rules/${rule.meta.id}.md`, () => {
    const file = path.join(docsDir, `${rule.meta.id}.md`);
    const page = existsSync(file) ? readFileSync(file, 'utf8') : '';
    test('front matter, url and headings agree with the rule', () => {
      assert.ok(page, 'page missing');
      assert.match(page, new RegExp(`^---\\ntitle: ${rule.meta.id}\\n`));
      assert.match(page, new RegExp(`\\ntype: ${rule.meta.type}\\n`));
      assert.equal(rule.meta.docs.url, ruleDocsUrl(rule.meta.id));
      let last = -1;
      for (const heading of requiredHeadings) {
        const at = page.indexOf(`\n${heading}\n`);
        assert.ok(at > last, `${heading} missing or out of order`);
        last = at;
      }
      for (const code of rule.meta.hadolint ?? []) assert.ok(page.includes(code), `hadolint code ${code} not documented`);
    });
    test('incorrect examples are reported, correct ones are not', () => {
      const incorrect = examples(page, 'incorrect');
      const correct = examples(page, 'correct');
      assert.ok(incorrect.length > 0 && correct.length > 0, 'needs both kinds of example');
      for (const { code, files } of incorrect) assert.ok(findingsOf(rule, code, files).length > 0, `not reported:\n${code}`);
      for (const { code, files } of correct) assert.deepEqual(findingsOf(rule, code, files).map((f) => f.message), [], `reported:\n${code}`);
    });
  });
}
