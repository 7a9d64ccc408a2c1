// Copies the non-TypeScript assets that tsc does not emit: n8n node icons and
// Node-RED editor files (.html) and icons, keeping their folder layout under dist/.
const { src, dest, parallel } = require('gulp');

function copyN8nIcons() {
  return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', allowEmpty: true, encoding: false }).pipe(dest('dist'));
}

function copyNodeRedEditorFiles() {
  return src(['node-red/**/*.html', 'node-red/**/icons/*', 'node-red/**/locales/**/*'], { base: '.', allowEmpty: true, encoding: false }).pipe(
    dest('dist'),
  );
}

exports.build = parallel(copyN8nIcons, copyNodeRedEditorFiles);
exports.default = exports.build;
