/**
 * The in-editor test runner (`extensionTestsPath`): VS Code's extension host loads this module and calls
 * `run()`. It runs every bundled `*.test.js` next to it with mocha 11 (bdd). The start and end markers let
 * e2e/api.test.js pick mocha's report out of the extension host's console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export const startMarker = '=== dockerfile-lean in-editor tests: start ===';
export const endMarker = '=== dockerfile-lean in-editor tests: end ===';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 30000, slow: 3000 });
  const grep = process.env.DFL_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  console.log(startMarker);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        console.log(`${endMarker} (${failures} failing)`);
        if (failures > 0) reject(new Error(`${failures} in-editor test(s) failed`));
        else resolve();
      });
    } catch (error) {
      console.error(error);
      console.log(`${endMarker} (runner crashed)`);
      reject(error);
    }
  });
}
