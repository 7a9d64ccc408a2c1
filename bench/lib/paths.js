'use strict';
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');
/** The compiled build every benchmark measures (`npm run build`). */
const dist = join(ROOT, 'dist');

module.exports = { ROOT, dist };
