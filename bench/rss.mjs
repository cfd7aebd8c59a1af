// Fallback for machines without /usr/bin/time: `node --import ./bench/rss.mjs <script>` writes the process's CPU
// times and peak resident set size (KB) to $BENCH_RSS_FILE when it exits.
import fs from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      // same layout as `/usr/bin/time -f '%U %S %M'`: user s, system s, max RSS KB
      fs.writeFileSync(file, `${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6} ${u.maxRSS}\n`);
    } catch {
      /* nothing to report to */
    }
  });
}
