/**
 * Precompresses the built web app: next to every text file (scripts, styles, HTML, SVG, JSON) a
 * `.br` (brotli at its highest level, quality 11, with the text mode hint) and a `.gz` (gzip -9),
 * each kept only when it is smaller than the original. The server sends the smallest encoding the
 * browser accepts (`Accept-Encoding`), from the folder or from the files embedded in the release
 * binary, so nothing is compressed per request.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest|map)$/;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface Compressed {
  file: string;
  original: number;
  brotli: number | null;
  gzip: number | null;
}

/** Writes `file.br` and `file.gz` beside each compressible file of `dir`; returns the sizes. */
export function precompressFolder(dir: string): Compressed[] {
  return filesUnder(dir)
    .filter((file) => COMPRESSIBLE.test(file))
    .map((file) => {
      const original = readFileSync(file);
      const brotli = brotliCompressSync(original, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
        },
      });
      const gzip = gzipSync(original, { level: 9 });
      const keep = (bytes: Buffer, suffix: string): number | null => {
        if (bytes.length >= original.length) return null;
        writeFileSync(file + suffix, bytes);
        return bytes.length;
      };
      return { file, original: original.length, brotli: keep(brotli, '.br'), gzip: keep(gzip, '.gz') };
    });
}

/** The Vite plugin: precompresses `build.outDir` once the bundle is written. */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'buurtkracht-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const sizes = precompressFolder(outDir);
      const total = (pick: (c: Compressed) => number) => sizes.reduce((sum, c) => sum + pick(c), 0);
      const original = total((c) => c.original);
      const brotli = total((c) => c.brotli ?? c.original);
      const gzip = total((c) => c.gzip ?? c.original);
      this.info(
        `precompressed ${sizes.length} files: ${original} bytes, brotli ${brotli}, gzip -9 ${gzip}`,
      );
    },
  };
}
