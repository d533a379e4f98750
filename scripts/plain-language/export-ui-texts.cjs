// Print every text of the web app (the Dutch and English message catalogues, compiled to
// CommonJS by run.sh) as JSON lines: {"lang", "source", "text"}. Messages that need values are
// called twice: with 1 (for counts) and with a stand-in that the check skips.
const path = require('node:path');
const dir = process.argv[2];
const { nl } = require(path.join(dir, 'nl.js'));
const { en } = require(path.join(dir, 'en.js'));
const SAMPLE = '\u27e8v\u27e9';
for (const [lang, messages] of [['nl', nl], ['en', en]]) {
  for (const [key, value] of Object.entries(messages)) {
    const texts = typeof value === 'function'
      ? [value(...Array(value.length).fill(1)), value(...Array(value.length).fill(SAMPLE))]
      : [value];
    for (const text of new Set(texts)) console.log(JSON.stringify({ lang, source: `ui.${key}`, text }));
  }
}
