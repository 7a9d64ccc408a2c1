// Copies the non-TypeScript assets that tsc does not emit: n8n node icons, the n8n example workflows and
// Node-RED editor files (.html) and icons, keeping their folder layout under dist/.
// Then prunes build output whose source is gone (tsc never deletes), so `npm pack` from a
// working copy ships only what the sources build.
const { src, dest, parallel, series } = require('gulp');
const { existsSync, readdirSync, rmSync, rmdirSync } = require('node:fs');
const { join, relative } = require('node:path');

function copyN8nIcons() {
  return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', allowEmpty: true, encoding: false }).pipe(dest('dist'));
}

// n8n has no examples folder of its own: its importable workflows ship as dist/examples/n8n/*.json. (The Node-RED
// flows ship as examples/node-red/, where Node-RED's Import → Examples finds them; n8n's must not sit there.)
function copyN8nWorkflows() {
  return src(['examples/n8n/*.json'], { base: '.', allowEmpty: true }).pipe(dest('dist'));
}

function copyNodeRedEditorFiles() {
  return src(['node-red/**/*.html', 'node-red/**/icons/*', 'node-red/**/locales/**/*'], { base: '.', allowEmpty: true, encoding: false }).pipe(
    dest('dist'),
  );
}

const COMPILED = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;
const COPIED = /\.(png|svg|html|json)$/;

/** The file under the repository a dist file was built or copied from. */
function sourceOf(distFile) {
  const path = relative('dist', distFile);
  if (COMPILED.test(path)) return path.replace(COMPILED, '.ts');
  if (COPIED.test(path) || path.split(/[\\/]/).includes('locales')) return path;
  return undefined; // not build output: left alone
}

function pruneStaleOutput(done) {
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        if (readdirSync(path).length === 0) rmdirSync(path);
        continue;
      }
      const source = sourceOf(path);
      if (source !== undefined && !existsSync(source)) rmSync(path, { force: true });
    }
  };
  walk('dist');
  done();
}

exports.build = series(parallel(copyN8nIcons, copyN8nWorkflows, copyNodeRedEditorFiles), pruneStaleOutput);
exports.default = exports.build;
